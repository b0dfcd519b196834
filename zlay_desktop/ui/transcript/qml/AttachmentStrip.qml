// A sent message's files, under its bubble: image thumbnails (decoded at their shown size
// on Qt's loader thread: `image://payload/SHA256`) and document chips (icon, name, pages,
// size). A click (or Space/Enter, or a screen reader's press) opens the file's viewer.
// Context properties: transcript (the Python bridge), colors.
import QtQuick

Item {
    id: strip
    required property var files
    required property int messageKey
    required property real columnLeft
    required property real columnRight  // the column's right edge: files line up with the bubble

    implicitHeight: flow.implicitHeight + 8

    function describe(file) {
        if (file.image)
            return qsTr("Image, %1 pixels").arg(file.pixels)
        if (file.pages > 0)
            return (file.pages === 1 ? qsTr("1 page") : qsTr("%1 pages").arg(file.pages)) + " · " + file.size
        return file.size
    }

    Flow {
        id: flow
        y: 4
        width: Math.min(strip.columnRight - strip.columnLeft, implicitWidth)
        x: strip.columnRight - width
        spacing: 6
        layoutDirection: Qt.RightToLeft
        Repeater {
            model: strip.files
            FlatButton {
                id: file
                required property var modelData
                objectName: "attachment-" + strip.messageKey + "-" + modelData.index
                standard: false
                padding: modelData.image ? 2 : 8
                implicitWidth: preview.implicitWidth + 2 * padding
                implicitHeight: preview.implicitHeight + 2 * padding
                radius: 10
                framed: true
                color: down || hovered || visualFocus ? colors.hover : colors.card
                text: qsTr("Open %1").arg(modelData.name)
                Accessible.description: strip.describe(modelData)
                tip: modelData.name + " — " + strip.describe(modelData)
                onClicked: transcript.openAttachment(strip.messageKey, modelData.index)
                HoverHandler { cursorShape: Qt.PointingHandCursor }
                Loader {
                    id: preview
                    objectName: "preview"
                    x: file.padding
                    y: file.padding
                    sourceComponent: file.modelData.image ? thumbnail : chip
                    Component {
                        id: thumbnail
                        Image {
                            width: file.modelData.thumbWidth
                            height: file.modelData.thumbHeight
                            asynchronous: true
                            fillMode: Image.PreserveAspectFit
                            sourceSize.width: file.modelData.thumbWidth
                            sourceSize.height: file.modelData.thumbHeight
                            source: "image://payload/" + file.modelData.sha256
                            Caption {  // until it is decoded, or when it cannot be
                                anchors.centerIn: parent
                                width: parent.width - 12
                                visible: parent.status !== Image.Ready
                                horizontalAlignment: Text.AlignHCenter
                                elide: Text.ElideMiddle
                                text: file.modelData.name
                                color: colors.muted
                            }
                        }
                    }
                    Component {
                        id: chip
                        Row {
                            spacing: 8
                            Glyph {
                                anchors.verticalCenter: parent.verticalCenter
                                name: "file-text"
                                size: 20
                                color: colors.accent
                            }
                            Column {
                                Caption {
                                    text: file.modelData.name
                                    color: colors.text
                                    elide: Text.ElideMiddle
                                    width: Math.min(implicitWidth, 240)
                                }
                                Caption {
                                    text: strip.describe(file.modelData)
                                    color: colors.muted
                                    font.pointSize: 8.5
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
