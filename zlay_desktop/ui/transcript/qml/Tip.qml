// A tooltip for its parent: `text` in a small card below it (above, near the bottom), on
// top of everything in the window, after a moment of `shown`.
import QtQuick

Item {
    id: tip
    property string text
    property bool shown: false
    readonly property Item target: parent

    Timer {
        interval: 600
        running: tip.shown && tip.text !== ""
        onTriggered: bubble.active = true
    }
    onShownChanged: if (!shown) bubble.active = false

    // The list (or other Flickable) the target moves with: the tip goes when it scrolls.
    function enclosingFlickable() {
        for (var item = tip.target ? tip.target.parent : null; item; item = item.parent) {
            if (item instanceof Flickable)
                return item
        }
        return null
    }
    Connections {
        target: bubble.active ? tip.enclosingFlickable() : null
        function onContentXChanged() { bubble.active = false }
        function onContentYChanged() { bubble.active = false }
    }

    Loader {
        id: bubble
        active: false
        // The window's content: not cut by the list's edges, above every row.
        parent: tip.target && tip.target.Window.contentItem ? tip.target.Window.contentItem : tip
        z: 1000
        sourceComponent: Rectangle {
            readonly property point at: tip.target.mapToItem(bubble.parent, 0, 0)
            readonly property real below: at.y + tip.target.height + 4
            x: Math.max(4, Math.min(bubble.parent.width - width - 4,
                                    at.x + (tip.target.width - width) / 2))
            y: below + height <= bubble.parent.height ? below : at.y - height - 4
            width: Math.min(label.implicitWidth, 360) + 16
            height: label.implicitHeight + 10
            radius: 6
            color: colors.card
            border.color: colors.cardBorder
            Text {
                id: label
                x: 8
                y: 5
                width: parent.width - 16
                text: tip.text
                wrapMode: Text.Wrap
                color: colors.text
                font.pointSize: 9
            }
        }
    }
}
