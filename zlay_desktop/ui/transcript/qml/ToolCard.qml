// One tool call (ui/transcript/tool_cards.py makes its row): while the user is asked, the
// approval card (server, tool, description, arguments; Allow / Always allow / Deny, Enter
// allows and Esc denies while it has the focus); then the result card, collapsed to the
// tool's name, status and duration, expanded to show the arguments, the result's text and
// the images the tool returned. A tool's words are untrusted: plain text only.
// Context properties: transcript (the Python bridge), colors, iconDir.
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Controls.impl
import QtQuick.Layouts

FocusScope {
    id: card
    required property var extra
    required property string arguments
    required property int messageKey

    readonly property bool asking: extra.status === "approval"
    readonly property int requestId: extra.requestId
    readonly property string tag: messageKey + "-" + extra.index
    property bool allArguments: false

    implicitHeight: frame.height + 8
    Accessible.role: asking ? Accessible.Dialog : Accessible.Grouping
    Accessible.name: asking
        ? qsTr("Run the tool “%1” of the server “%2”?").arg(extra.name).arg(extra.server)
        : qsTr("Tool %1: %2").arg(extra.name).arg(statusText(extra.status))

    function statusText(status) {
        switch (status) {
        case "approval": return qsTr("Waiting for your approval")
        case "waiting": return qsTr("Waiting")
        case "running": return qsTr("Running…")
        case "done": return qsTr("Done")
        case "failed": return qsTr("Failed")
        case "timed_out": return qsTr("Timed out")
        case "denied": return qsTr("Denied")
        case "stopped": return qsTr("Stopped")
        case "not_run": return qsTr("Not run")
        case "interrupted": return qsTr("Interrupted: the app closed before it finished")
        }
        return status
    }

    function statusColor(status) {
        switch (status) {
        case "failed":
        case "timed_out":
        case "interrupted":
            return colors.error
        case "done":
            return colors.text
        }
        return colors.muted
    }

    function decide(decision) {
        transcript.decideTool(card.requestId, decision)
    }

    function claimFocus() {
        if (card.asking && transcript.claimFocus(card.requestId))
            allowButton.forceActiveFocus()
    }
    onRequestIdChanged: Qt.callLater(claimFocus)
    Component.onCompleted: Qt.callLater(claimFocus)

    // Esc is also the window's Stop: on a card that asks, it means Deny (and Enter, Allow).
    Keys.onShortcutOverride: (event) => {
        if (card.asking && (event.key === Qt.Key_Escape || event.key === Qt.Key_Return
                            || event.key === Qt.Key_Enter))
            event.accepted = true
    }
    Keys.onPressed: (event) => {
        if (!card.asking)
            return
        if (event.key === Qt.Key_Escape) {
            card.decide("deny")
            event.accepted = true
        } else if (event.key === Qt.Key_Return || event.key === Qt.Key_Enter) {
            // (On a focused Deny or Always allow, Enter means that button.)
            card.decide(denyButton.activeFocus ? "deny"
                        : alwaysButton.activeFocus ? "always_allow" : "allow")
            event.accepted = true
        }
    }

    Rectangle {
        id: frame
        y: 4
        width: parent.width
        height: content.implicitHeight + 16
        radius: 10
        color: colors.card
        border.color: card.asking || card.activeFocus ? colors.accent : colors.cardBorder
        border.width: card.asking ? 2 : 1

        ColumnLayout {
            id: content
            x: 12
            y: 8
            width: parent.width - 24
            spacing: 6

            // -- the result card's head: a toggle --
            ToolButton {
                id: toggle
                objectName: "toolcard-" + card.tag
                visible: !card.asking
                Layout.fillWidth: true
                implicitHeight: 30
                focusPolicy: Qt.StrongFocus
                text: qsTr("Tool %1").arg(card.extra.name || qsTr("(unnamed)"))
                Accessible.name: qsTr("Tool %1: %2").arg(card.extra.name).arg(card.statusText(card.extra.status))
                Accessible.description: card.extra.expanded ? qsTr("Hide the details") : qsTr("Show the details")
                background: Rectangle {
                    radius: 7
                    color: toggle.hovered || toggle.visualFocus ? colors.hover : "transparent"
                }
                contentItem: RowLayout {
                    spacing: 8
                    IconImage {
                        source: iconDir + (card.extra.expanded ? "chevron-down" : "chevron-right") + ".svg"
                        sourceSize.width: 14
                        sourceSize.height: 14
                        color: colors.muted
                    }
                    IconImage {
                        source: iconDir + "wrench.svg"
                        sourceSize.width: 14
                        sourceSize.height: 14
                        color: colors.muted
                    }
                    Label {
                        text: card.extra.name || qsTr("(unnamed)")
                        color: colors.text
                        font.bold: true
                        elide: Text.ElideRight
                        Layout.maximumWidth: content.width * 0.45
                    }
                    BusyIndicator {
                        visible: card.extra.status === "running"
                        running: visible
                        implicitWidth: 16
                        implicitHeight: 16
                    }
                    Label {
                        objectName: "toolstatus-" + card.tag
                        text: card.statusText(card.extra.status)
                        color: card.statusColor(card.extra.status)
                        font.pointSize: 9
                        elide: Text.ElideRight
                        Layout.fillWidth: true
                    }
                    Label {
                        visible: card.extra.seconds >= 0
                        text: qsTr("%1 s").arg(card.extra.seconds < 10
                                               ? card.extra.seconds.toFixed(1)
                                               : Math.round(card.extra.seconds))
                        color: colors.muted
                        font.pointSize: 9
                    }
                }
                onClicked: transcript.toggleToolCard(card.messageKey, card.extra.index)
            }

            // -- the approval card's question --
            Label {
                visible: card.asking
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                textFormat: Text.PlainText
                font.bold: true
                color: colors.text
                text: qsTr("Run the tool “%1” of the server “%2”?").arg(card.extra.name).arg(card.extra.server)
            }
            Label {
                visible: card.asking && card.extra.description !== ""
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                textFormat: Text.PlainText  // a server's words: untrusted
                color: colors.muted
                text: card.extra.description
            }

            // -- arguments (both cards) --
            Label {
                visible: !card.asking && card.extra.expanded
                text: qsTr("Arguments")
                color: colors.muted
                font.pointSize: 9
            }
            Rectangle {
                visible: card.asking || card.extra.expanded
                Layout.fillWidth: true
                // Long arguments fold to ten lines until "Show all arguments".
                implicitHeight: Math.min(argumentsText.implicitHeight,
                                         card.extra.longArguments && !card.allArguments
                                         ? argumentsText.implicitHeight / Math.max(1, argumentsText.lineCount) * 10
                                         : 1e9) + 12
                radius: 6
                color: colors.code
                clip: true
                TextEdit {
                    id: argumentsText
                    objectName: "toolarguments-" + card.tag
                    x: 8
                    y: 6
                    width: parent.width - 16
                    text: card.arguments
                    textFormat: TextEdit.PlainText
                    readOnly: true
                    selectByMouse: true
                    wrapMode: TextEdit.WrapAnywhere
                    color: colors.codeText
                    font.family: "monospace"
                    font.pointSize: 9
                    Accessible.name: qsTr("Arguments")
                }
            }
            Button {
                objectName: "toolarguments-all-" + card.tag
                visible: (card.asking || card.extra.expanded) && card.extra.longArguments
                flat: true
                text: card.allArguments ? qsTr("Show fewer arguments") : qsTr("Show all arguments")
                Accessible.name: text
                onClicked: card.allArguments = !card.allArguments
            }

            // -- the result (result card, expanded) --
            Label {
                visible: !card.asking && card.extra.expanded && card.extra.result !== ""
                text: qsTr("Result")
                color: colors.muted
                font.pointSize: 9
            }
            TextEdit {
                objectName: "toolresult-" + card.tag
                visible: !card.asking && card.extra.expanded && card.extra.result !== ""
                Layout.fillWidth: true
                text: card.extra.result
                textFormat: TextEdit.PlainText  // raw HTML stays text
                readOnly: true
                selectByMouse: true
                wrapMode: TextEdit.WrapAnywhere
                color: card.extra.status === "done" ? colors.text : colors.muted
                font.family: "monospace"
                font.pointSize: 9
                Accessible.name: qsTr("Result")
            }
            Label {
                visible: !card.asking && card.extra.expanded && card.extra.hidden > 0
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                text: qsTr("… and %1 more characters, not shown here (Copy copies the whole result).").arg(card.extra.hidden)
                color: colors.muted
                font.italic: true
            }
            Flow {
                visible: !card.asking && card.extra.expanded && card.extra.images.length > 0
                Layout.fillWidth: true
                spacing: 8
                Repeater {
                    model: card.extra.images
                    Image {
                        required property string modelData
                        required property int index
                        objectName: "toolimage-" + card.tag + "-" + index
                        source: "image://toolimage/" + modelData
                        asynchronous: true
                        cache: false
                        fillMode: Image.PreserveAspectFit
                        sourceSize.width: 160
                        sourceSize.height: 160
                        smooth: true
                        Accessible.role: Accessible.Graphic
                        Accessible.name: qsTr("Image %1 the tool returned").arg(index + 1)
                    }
                }
            }
            Button {
                objectName: "toolresult-copy-" + card.tag
                visible: !card.asking && card.extra.expanded && card.extra.result !== ""
                flat: true
                text: qsTr("Copy result")
                Accessible.name: text
                onClicked: transcript.copyToolResult(card.messageKey, card.extra.index)
            }

            // -- the approval card's answers --
            RowLayout {
                visible: card.asking
                Layout.fillWidth: true
                spacing: 8
                Item { Layout.fillWidth: true }
                Button {
                    id: denyButton
                    objectName: "deny-tool-" + card.tag
                    text: qsTr("Deny")
                    Accessible.name: text
                    Accessible.description: qsTr("Do not run this tool; the model is told you declined (Esc)")
                    onClicked: card.decide("deny")
                }
                Button {
                    id: alwaysButton
                    objectName: "always-allow-tool-" + card.tag
                    text: qsTr("Always allow")
                    Accessible.name: text
                    Accessible.description: qsTr("Run this tool of this server without asking again (revocable in Settings)")
                    ToolTip.visible: hovered
                    ToolTip.delay: 600
                    ToolTip.text: Accessible.description
                    onClicked: card.decide("always_allow")
                }
                Button {
                    id: allowButton
                    objectName: "allow-tool-" + card.tag
                    text: qsTr("Allow")
                    highlighted: true
                    Accessible.name: text
                    Accessible.description: qsTr("Run this tool once (Enter)")
                    onClicked: card.decide("allow")
                }
            }
        }
    }
}
