// One tool call (ui/transcript/tool_cards.py makes its row): while the user is asked, the
// approval card (server, tool, description, arguments; Allow / Always allow / Deny, Enter
// answers with the focused button and Esc denies, once the user tabbed to the card); then
// the result card, collapsed to the
// tool's name, status and duration, expanded to show the arguments, the result's text and
// the images the tool returned. A tool's words are untrusted: plain text only.
// Context properties: transcript (the Python bridge), colors.
import QtQuick
import QtQuick.Layouts

FocusScope {
    id: card
    required property var extra
    required property string arguments
    required property int messageKey

    readonly property bool asking: extra.status === "approval"
    readonly property int requestId: extra.requestId
    readonly property string tag: messageKey + "-" + extra.index

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
    // The focus comes only when the user moves the keyboard here (Tab into the transcript):
    // keys typed for the composer never answer a card that just appeared.
    onRequestIdChanged: Qt.callLater(claimFocus)
    Component.onCompleted: Qt.callLater(claimFocus)
    Connections {
        target: transcript
        function onToolCardFocusRequested() { Qt.callLater(card.claimFocus) }
    }

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
            // Enter means the focused button: never Allow while the user is on another part
            // of the card (e.g. "Show all arguments", to read them first).
            if (allowButton.activeFocus)
                card.decide("allow")
            else if (alwaysButton.activeFocus)
                card.decide("always_allow")
            else if (denyButton.activeFocus)
                card.decide("deny")
            else if (allArgumentsButton.activeFocus)
                transcript.toggleToolArguments(card.messageKey, card.extra.index)
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
            FlatButton {
                id: toggle
                objectName: "toolcard-" + card.tag
                visible: !card.asking
                Layout.fillWidth: true
                implicitHeight: 30
                standard: false
                text: qsTr("Tool %1").arg(card.extra.name || qsTr("(unnamed)"))
                Accessible.name: qsTr("Tool %1: %2").arg(card.extra.name).arg(card.statusText(card.extra.status))
                Accessible.description: card.extra.expanded ? qsTr("Hide the details") : qsTr("Show the details")
                RowLayout {
                    x: toggle.padding
                    width: parent.width - 2 * toggle.padding
                    anchors.verticalCenter: parent.verticalCenter
                    spacing: 8
                    Glyph {
                        name: card.extra.expanded ? "chevron-down" : "chevron-right"
                        size: 14
                    }
                    Glyph {
                        name: "wrench"
                        size: 14
                    }
                    Caption {
                        text: card.extra.name || qsTr("(unnamed)")
                        color: colors.text
                        font.bold: true
                        elide: Text.ElideRight
                        Layout.maximumWidth: content.width * 0.45
                    }
                    Spinner {
                        visible: card.extra.status === "running"
                        running: visible
                        size: 16
                    }
                    Caption {
                        objectName: "toolstatus-" + card.tag
                        text: card.statusText(card.extra.status)
                        color: card.statusColor(card.extra.status)
                        font.pointSize: 9
                        elide: Text.ElideRight
                        Layout.fillWidth: true
                    }
                    Caption {
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
            Caption {
                visible: card.asking
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                textFormat: Text.PlainText
                font.bold: true
                color: colors.text
                text: qsTr("Run the tool “%1” of the server “%2”?").arg(card.extra.name).arg(card.extra.server)
            }
            Caption {
                visible: card.asking && card.extra.description !== ""
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                textFormat: Text.PlainText  // a server's words: untrusted
                color: colors.muted
                text: card.extra.description
            }

            // -- arguments (both cards) --
            Caption {
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
                                         card.extra.longArguments && !card.extra.allArguments
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
            Caption {
                visible: (card.asking || card.extra.expanded) && card.extra.hiddenArguments > 0
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                text: qsTr("… and %1 more characters of the arguments, not shown here (Copy the arguments copies them all).").arg(card.extra.hiddenArguments)
                color: colors.muted
                font.italic: true
            }
            FlatButton {
                objectName: "toolarguments-copy-" + card.tag
                visible: (card.asking || card.extra.expanded) && card.extra.hiddenArguments > 0
                foreground: colors.accent
                text: qsTr("Copy the arguments")
                onClicked: transcript.copyToolArguments(card.messageKey, card.extra.index)
            }
            FlatButton {
                id: allArgumentsButton
                objectName: "toolarguments-all-" + card.tag
                visible: (card.asking || card.extra.expanded) && card.extra.longArguments
                foreground: colors.accent
                text: card.extra.allArguments ? qsTr("Show fewer arguments") : qsTr("Show all arguments")
                onClicked: transcript.toggleToolArguments(card.messageKey, card.extra.index)
            }

            // -- the result (result card, expanded) --
            Caption {
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
            Caption {
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
                        source: "image://payload/" + modelData
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
            FlatButton {
                objectName: "toolresult-copy-" + card.tag
                visible: !card.asking && card.extra.expanded && card.extra.result !== ""
                foreground: colors.accent
                text: qsTr("Copy result")
                onClicked: transcript.copyToolResult(card.messageKey, card.extra.index)
            }

            // -- the approval card's answers --
            RowLayout {
                visible: card.asking
                Layout.fillWidth: true
                spacing: 8
                Item { Layout.fillWidth: true }
                FlatButton {
                    id: denyButton
                    objectName: "deny-tool-" + card.tag
                    text: qsTr("Deny")
                    framed: true
                    foreground: colors.text
                    Accessible.description: qsTr("Do not run this tool; the model is told you declined (Esc)")
                    onClicked: card.decide("deny")
                }
                FlatButton {
                    id: alwaysButton
                    objectName: "always-allow-tool-" + card.tag
                    text: qsTr("Always allow")
                    framed: true
                    foreground: colors.text
                    Accessible.description: qsTr("Run this tool of this server without asking again (revocable in Settings)")
                    tip: Accessible.description
                    onClicked: card.decide("always_allow")
                }
                FlatButton {
                    id: allowButton
                    objectName: "allow-tool-" + card.tag
                    text: qsTr("Allow")
                    highlighted: true
                    Accessible.description: qsTr("Run this tool once (Enter)")
                    onClicked: card.decide("allow")
                }
            }
        }
    }
}
