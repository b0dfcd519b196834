// The conversation: a ListView of the transcript model's rows (Markdown blocks and the
// parts of each message). Only the rows near the viewport have delegates.
// Context properties: transcriptModel, transcript (the Python bridge), colors.
// (Plain Qt Quick, with the app's own buttons, scroll bars and tooltips (FlatButton.qml,
// Scroller.qml, Tip.qml): Qt Quick Controls would add ~19 MB to the app's memory.)
import QtQuick
import QtQuick.Layouts

Rectangle {
    id: root
    color: colors.background
    objectName: "transcriptRoot"

    property bool follow: true
    property bool autoScrolling: false
    property int hoveredKey: -1
    // The message a search hit revealed, highlighted for a moment (-1: none).
    readonly property int highlightedKey: transcript ? transcript.highlightedKey : -1
    property int liveDelegates: 0  // delegates that exist now (tests check virtualization)
    readonly property real column: Math.min(list.width - 48, 860)
    readonly property real gutter: (list.width - column) / 2
    readonly property real indent: 36  // an answer's text lines up after the icon

    // The text selected with the mouse, which may span rows (the paragraphs, code blocks of
    // an answer and beyond): where the press was (anchor) and where the mouse is (focus),
    // each a row of the model and a position in that row's text. Rows are data, so the
    // selection outlives their delegates; each live delegate shows its part of it.
    property int selAnchorRow: -1  // -1: nothing selected
    property int selAnchorPos: 0
    property int selFocusRow: -1
    property int selFocusPos: 0
    readonly property bool hasSelection: selAnchorRow >= 0
        && (selAnchorRow !== selFocusRow || selAnchorPos !== selFocusPos)
    readonly property bool anchorFirst: selAnchorRow < selFocusRow
        || (selAnchorRow === selFocusRow && selAnchorPos <= selFocusPos)
    readonly property int selFirstRow: anchorFirst ? selAnchorRow : selFocusRow
    readonly property int selFirstPos: anchorFirst ? selAnchorPos : selFocusPos
    readonly property int selLastRow: anchorFirst ? selFocusRow : selAnchorRow
    readonly property int selLastPos: anchorFirst ? selFocusPos : selAnchorPos

    // Rows just above and below the view are made ahead of time (ListView's cache
    // buffer), so that scrolling finds them ready; but not while the view follows a reply
    // that streams past a screenful: a fast reply's rows pass by a frame or two each, and
    // making those that leave the view was a quarter of the rows made, for nothing seen.
    // (A shorter reply keeps the buffer: taking it and giving it back costs more.) The
    // buffer then grows back a step a frame: given back at once, its rows are made in one
    // go (~12 ms).
    readonly property int rowsAheadFull: 600
    readonly property int replyRow: transcript ? transcript.replyRow : -1  // -1: none streams
    property bool replyFillsView: false  // its first row left the top of the view
    readonly property bool rowsPassBy: replyFillsView && root.follow
    onReplyRowChanged: if (replyRow < 0) replyFillsView = false
    property int rowsAhead: rowsAheadFull
    onRowsPassByChanged: {
        if (rowsPassBy) {
            refillAhead.stop()
            rowsAhead = 0
        } else {
            refillAhead.start()
        }
    }
    Timer {
        id: refillAhead
        interval: 16
        repeat: true
        onTriggered: {
            root.rowsAhead = Math.min(root.rowsAheadFull, root.rowsAhead + 100)
            if (root.rowsAhead >= root.rowsAheadFull)
                stop()
        }
    }

    component IconButton: FlatButton {
        text: tip
        showText: false
        implicitWidth: 30
        implicitHeight: 30
    }

    // "‹ 2 / 3 ›" under a message with other versions (`version`: [which, of how many]).
    component VersionSwitcher: Row {
        id: switcher
        required property var version
        required property int messageKey
        spacing: 0
        IconButton {
            objectName: "previous-version-" + switcher.messageKey
            iconName: "chevron-left"
            tip: qsTr("Previous version")
            enabled: switcher.version[0] > 1
            onClicked: transcript.act("previous-version", switcher.messageKey)
        }
        Caption {
            objectName: "version-" + switcher.messageKey
            anchors.verticalCenter: parent.verticalCenter
            text: qsTr("%1 / %2").arg(switcher.version[0]).arg(switcher.version[1])
            color: colors.muted
            font.pointSize: 8.5
            Accessible.role: Accessible.StaticText
            Accessible.name: text
        }
        IconButton {
            objectName: "next-version-" + switcher.messageKey
            iconName: "chevron-right"
            tip: qsTr("Next version")
            enabled: switcher.version[0] < switcher.version[1]
            onClicked: transcript.act("next-version", switcher.messageKey)
        }
    }

    component RichBlock: TextEdit {
        textFormat: TextEdit.RichText
        readOnly: true
        selectByMouse: true
        persistentSelection: false
        wrapMode: TextEdit.Wrap
        color: colors.text
        selectionColor: colors.accent
        selectedTextColor: colors.background
        font.pointSize: 10.5
        // (A mouse click on a link is the selection handler's, `selector`; a tap is here.)
        onLinkActivated: (link) => transcript.openLink(link)
        HoverHandler {
            enabled: parent.hoveredLink !== ""
            cursorShape: Qt.PointingHandCursor
        }
    }

    function actionLabel(name) {
        switch (name) {
        case "copy": return qsTr("Copy")
        case "edit": return qsTr("Edit")
        case "regenerate": return qsTr("Regenerate")
        case "retry": return qsTr("Retry")
        case "continue": return qsTr("Continue")
        case "delete-version": return qsTr("Delete this version")
        }
        return name
    }

    function actionIcon(name) {
        switch (name) {
        case "copy": return "copy"
        case "edit": return "pencil"
        case "regenerate": return "refresh-cw"
        case "retry": return "rotate-ccw"
        case "continue": return "play"
        case "delete-version": return "trash-2"
        }
        return "copy"
    }

    function clearSelection() {
        selAnchorRow = -1
        selFocusRow = -1
    }

    // Where the selection starts in row `index`'s text (-1: it has none of it).
    function selectionStartIn(index) {
        if (!hasSelection || index < selFirstRow || index > selLastRow)
            return -1
        return index === selFirstRow ? selFirstPos : 0
    }

    // Where it ends in that text (-1: at the text's end).
    function selectionEndIn(index) {
        return hasSelection && index === selLastRow ? selLastPos : -1
    }

    // The TextEdit of a delegate's row that a selection shows in (null: it has none).
    function selectableTextOf(delegate) {
        return delegate && delegate.item && delegate.item.selectableText
            ? delegate.item.selectableText : null
    }

    // A delegate's row shows its part of the selection (or none).
    function showSelectionIn(delegate) {
        var edit = selectableTextOf(delegate)
        if (!edit)
            return
        var start = selectionStartIn(delegate.index)
        if (start < 0) {
            if (delegate.showsSelection)
                edit.deselect()  // (not a search's match marked meanwhile)
            delegate.showsSelection = false
            return
        }
        var end = selectionEndIn(delegate.index)
        end = end < 0 ? edit.length : Math.min(end, edit.length)
        start = Math.min(start, end)
        if (edit.selectionStart !== start || edit.selectionEnd !== end)
            edit.select(start, end)  // (only what changed is drawn again while dragging)
        delegate.showsSelection = true
    }

    // The selection changed, or the rows it is in: the delegates there are (only those:
    // the rows are data) show it again.
    function showSelectionInView() {
        var delegates = list.contentItem.children
        for (var i = 0; i < delegates.length; i++) {
            if (delegates[i].showsSelection !== undefined)
                showSelectionIn(delegates[i])
        }
    }
    onSelFirstRowChanged: Qt.callLater(showSelectionInView)
    onSelFirstPosChanged: Qt.callLater(showSelectionInView)
    onSelLastRowChanged: Qt.callLater(showSelectionInView)
    onSelLastPosChanged: Qt.callLater(showSelectionInView)
    onHasSelectionChanged: Qt.callLater(showSelectionInView)

    function copySelection() {
        transcript.copySelection(selFirstRow, selFirstPos, selLastRow, selLastPos)
    }

    function selectionMade() {
        if (hasSelection)
            transcript.selectionMade(selFirstRow, selFirstPos, selLastRow, selLastPos)
    }

    // Whether (x, y) of the list is on the horizontal scroll bar of a delegate's code card.
    function overCodeScrollBar(delegate, x, y) {
        var bar = delegate && delegate.item ? delegate.item.scrollBar : null
        return !!bar && bar.visible && bar.contains(bar.mapFromItem(list, x, y))
    }

    // The selectable text under (x, y) of the list, if any: its row, its TextEdit and the
    // point in the TextEdit's coordinates.
    function textAt(x, y) {
        var index = list.indexAt(x + list.contentX, y + list.contentY)
        var delegate = index < 0 ? null : list.itemAtIndex(index)
        var edit = root.selectableTextOf(delegate)
        if (!edit)
            return null
        var area = delegate.item.selectableArea || edit  // (a code card's text scrolls)
        if (!area.contains(area.mapFromItem(list, x, y)))
            return null
        if (overCodeScrollBar(delegate, x, y))  // (over the card's text: a press there scrolls it)
            return null
        var point = edit.mapFromItem(list, x, y)
        return { row: index, edit: edit, x: point.x, y: point.y }
    }

    // The row and text position nearest to (x, y) of the list, for a selection dragged
    // there: above or below a row's text, its start or end; a row without text (a
    // header, a footer) has none of the selection.
    function selectionPointAt(x, y) {
        var cx = Math.max(0, Math.min(list.width - 1, x)) + list.contentX
        var cy = Math.max(0, Math.min(list.height - 1, y)) + list.contentY
        var index = list.indexAt(cx, cy)
        if (index < 0)  // in the margin above the first row or below the last
            index = cy < list.originY ? 0 : list.count - 1
        var edit = root.selectableTextOf(list.itemAtIndex(index))
        if (!edit)
            return { row: index, pos: 0 }
        var point = edit.mapFromItem(list, x, y)
        if (point.y < 0)
            return { row: index, pos: 0 }
        if (point.y >= edit.height)
            return { row: index, pos: edit.length }
        return { row: index, pos: edit.positionAt(point.x, point.y) }
    }

    function selectTo(x, y) {
        var point = selectionPointAt(x, y)
        selFocusRow = point.row
        selFocusPos = point.pos
    }

    // The user scrolled (not the view following the end): follow mode goes with atYEnd.
    function userScrolled() {
        var following = list.atYEnd
        if (following !== root.follow) {
            root.follow = following
            transcript.following(following)
        }
    }

    function scrollBy(pixels) {
        var top = list.originY
        var bottom = list.originY + Math.max(0, list.contentHeight - list.height)
        list.contentY = Math.max(top, Math.min(bottom, list.contentY + pixels))
    }

    function toEnd() {
        autoScrolling = true
        list.positionViewAtEnd()
        // (positionViewAtEnd leaves the bottom margin below the view.)
        var end = list.originY + list.contentHeight + list.bottomMargin - list.height
        if (end > list.contentY)
            list.contentY = end
        autoScrolling = false
    }

    function followEnd() {
        if (root.follow)  // (not if the view was sent elsewhere in the meantime)
            toEnd()
    }

    Connections {
        target: transcript
        function onScrollToEnd() {
            root.follow = true
            transcript.following(true)
            Qt.callLater(root.followEnd)
        }
        function onScrollToRow(row, atTop) {
            root.follow = false
            transcript.following(false)
            root.autoScrolling = true
            list.positionViewAtIndex(row, atTop ? ListView.Beginning : ListView.Contain)
            root.autoScrolling = false
        }
    }

    ListView {
        id: list
        objectName: "transcriptList"
        anchors.fill: parent
        model: transcriptModel
        clip: true
        focus: true
        activeFocusOnTab: true
        cacheBuffer: root.rowsAhead
        boundsBehavior: Flickable.StopAtBounds
        topMargin: 16
        bottomMargin: 24
        Accessible.role: Accessible.List
        Accessible.name: qsTr("Conversation")

        onContentYChanged: {
            if (root.replyRow >= 0 && !root.replyFillsView)
                root.replyFillsView = indexAt(0, contentY) > root.replyRow
            if (root.autoScrolling || !(moving || dragging || scrollWheel.active))
                return
            var following = atYEnd
            if (following !== root.follow) {
                root.follow = following
                transcript.following(following)
            }
        }
        onContentHeightChanged: if (root.follow) Qt.callLater(root.followEnd)
        onHeightChanged: if (root.follow) Qt.callLater(root.followEnd)

        // Wheel scrolling moves contentY without "moving": a user's scroll all the same.
        WheelHandler {
            id: scrollWheel
            property bool active: false
            target: null
            onWheel: (event) => {
                active = true
                root.scrollBy(-event.angleDelta.y / 120 * 60)
                active = false
                root.userScrolled()
            }
        }

        Keys.onPressed: (event) => {
            var page = list.height * 0.9
            if (event.matches(StandardKey.Copy)) {
                if (!root.hasSelection)
                    return
                root.copySelection()
            } else if (event.key === Qt.Key_PageDown) {
                root.scrollBy(page)
            } else if (event.key === Qt.Key_PageUp) {
                root.scrollBy(-page)
            } else if (event.key === Qt.Key_Home && !(event.modifiers & Qt.ShiftModifier)) {
                list.positionViewAtBeginning()
            } else if (event.key === Qt.Key_End && !(event.modifiers & Qt.ShiftModifier)) {
                root.toEnd()
            } else if (event.text.length > 0 && event.text.charCodeAt(0) >= 32
                       && !(event.modifiers & (Qt.ControlModifier | Qt.AltModifier | Qt.MetaModifier))) {
                // Typing in the transcript means typing a message.
                transcript.typed(event.text)
            } else {
                return
            }
            if (event.key === Qt.Key_PageDown || event.key === Qt.Key_PageUp
                    || event.key === Qt.Key_Home || event.key === Qt.Key_End) {
                root.follow = list.atYEnd
                transcript.following(root.follow)
            }
            event.accepted = true
        }

        delegate: Loader {
            id: row
            required property int index
            required property string kind
            required property int messageKey
            required property string html
            required property string plain
            required property var extra

            // Whether this row's text shows a part of the selection (root.showSelectionIn).
            property bool showsSelection: false
            onLoaded: if (root.selAnchorRow >= 0) root.showSelectionIn(row)

            width: ListView.view.width
            Accessible.role: kind === "user" || kind === "header" ? Accessible.ListItem : Accessible.Paragraph
            Accessible.name: kind === "user" || kind === "header" ? (extra.role || "") : ""
            Accessible.description: plain
            Component.onCompleted: root.liveDelegates++
            Component.onDestruction: root.liveDelegates--

            HoverHandler {
                onHoveredChanged: if (hovered) root.hoveredKey = row.messageKey
            }

            Rectangle {  // a search hit opened: its message shows highlighted for a moment
                z: -1
                x: root.gutter - 10
                width: root.column + 20
                height: parent.height
                color: colors.accent
                opacity: root.highlightedKey === row.messageKey ? 0.16 : 0
                visible: opacity > 0
                Behavior on opacity { NumberAnimation { duration: 400 } }
            }

            // Alt+Left / Alt+Right: the previous or next version of the message in focus
            // (its switcher's or another of its buttons).
            Keys.onPressed: (event) => {
                if (!row.extra.version || !(event.modifiers & Qt.AltModifier))
                    return
                if (event.key === Qt.Key_Left) {
                    transcript.act("previous-version", row.messageKey)
                } else if (event.key === Qt.Key_Right) {
                    transcript.act("next-version", row.messageKey)
                } else {
                    return
                }
                event.accepted = true
            }

            sourceComponent: {
                switch (kind) {
                case "user": return userRow
                case "attachments": return attachmentsRow
                case "header": return headerRow
                case "code": return codeRow
                case "reasoning": return reasoningRow
                case "toolcard": return toolCardRow
                case "notice": return noticeRow
                case "waiting": return waitingRow
                case "footer": return footerRow
                }
                return blockRow
            }

            Component {
                id: attachmentsRow
                AttachmentStrip {
                    files: row.extra.files
                    messageKey: row.messageKey
                    columnLeft: root.gutter
                    columnRight: root.gutter + root.column
                }
            }

            Component {
                id: headerRow
                Item {
                    implicitHeight: 44
                    RowLayout {
                        x: root.gutter
                        anchors.bottom: parent.bottom
                        anchors.bottomMargin: 6
                        spacing: 10
                        Rectangle {
                            width: 26
                            height: 26
                            radius: 8
                            color: colors.card
                            border.color: colors.cardBorder
                            Glyph {
                                anchors.centerIn: parent
                                name: "bot"
                                color: colors.accent
                            }
                        }
                        Caption {
                            text: row.extra.role
                            font.bold: true
                            color: colors.text
                        }
                        Caption {
                            text: row.extra.model
                            color: colors.muted
                            visible: text !== ""
                            font.pointSize: 9
                        }
                    }
                }
            }

            Component {
                id: userRow
                Item {
                    readonly property Item selectableText: userText
                    implicitHeight: bubble.height + actions.height + 20
                    Text {
                        id: measure
                        visible: false
                        text: row.plain
                        font: userText.font
                    }
                    Rectangle {
                        id: bubble
                        y: 16
                        x: root.gutter + root.column - width
                        width: Math.min(root.column * 0.8, measure.implicitWidth + 28)
                        height: userText.implicitHeight + 20
                        radius: 16
                        color: colors.bubble
                        TextEdit {
                            id: userText
                            x: 14
                            y: 10
                            width: parent.width - 28
                            text: row.plain
                            textFormat: TextEdit.PlainText
                            readOnly: true
                            selectByMouse: true
                            wrapMode: TextEdit.Wrap
                            color: colors.text
                            selectionColor: colors.accent
                            selectedTextColor: colors.background
                            font.pointSize: 10.5
                            MatchMarker {
                                edit: userText
                                messageKey: row.messageKey
                                onMarkingEnded: Qt.callLater(root.showSelectionInView)
                            }
                        }
                    }
                    Caption {
                        visible: row.extra.hidden > 0
                        anchors.top: bubble.bottom
                        x: root.gutter
                        text: qsTr("… and %1 more characters, not shown here (Copy copies the whole message).").arg(Number(row.extra.hidden).toLocaleString(Qt.locale(), 'f', 0))
                        color: colors.muted
                        font.italic: true
                    }
                    Row {
                        id: actions
                        anchors.top: bubble.bottom
                        anchors.topMargin: 2
                        x: root.gutter + root.column - width
                        spacing: 2
                        Loader {
                            active: !!row.extra.version
                            visible: active
                            anchors.verticalCenter: parent.verticalCenter
                            sourceComponent: VersionSwitcher {
                                version: row.extra.version
                                messageKey: row.messageKey
                            }
                        }
                        Repeater {
                            model: row.extra.actions
                            IconButton {
                                required property string modelData
                                objectName: modelData + "-" + row.messageKey
                                iconName: root.actionIcon(modelData)
                                tip: root.actionLabel(modelData)
                                opacity: root.hoveredKey === row.messageKey || activeFocus ? 1 : 0
                                onClicked: transcript.act(modelData, row.messageKey)
                            }
                        }
                    }
                }
            }

            Component {
                id: blockRow
                Item {
                    readonly property Item selectableText: block
                    implicitHeight: block.implicitHeight + 10
                    RichBlock {
                        id: block
                        x: root.gutter + root.indent
                        width: root.column - root.indent
                        text: row.html
                        MatchMarker {
                            edit: block
                            messageKey: row.messageKey
                            onMarkingEnded: Qt.callLater(root.showSelectionInView)
                        }
                    }
                }
            }

            Component {
                id: codeRow
                Item {
                    readonly property Item selectableText: codeText
                    readonly property Item selectableArea: code
                    readonly property Item scrollBar: codeScroller
                    implicitHeight: card.height + 10
                    Rectangle {
                        id: card
                        x: root.gutter + root.indent
                        y: 4
                        width: root.column - root.indent
                        height: bar.height + code.height + 8
                        radius: 10
                        color: colors.code
                        border.color: colors.cardBorder
                        RowLayout {
                            id: bar
                            x: 12
                            width: parent.width - 16
                            height: 32
                            Caption {
                                text: row.extra.language || qsTr("code")
                                color: colors.muted
                                font.pointSize: 9
                                Layout.fillWidth: true
                            }
                            IconButton {
                                objectName: "copy-code-" + row.messageKey + "-" + row.extra.fence
                                iconName: "copy"
                                tip: qsTr("Copy code")
                                onClicked: transcript.copyCode(row.messageKey, row.extra.fence)
                            }
                        }
                        Flickable {
                            id: code
                            anchors.top: bar.bottom
                            x: 12
                            width: parent.width - 24
                            height: codeText.implicitHeight + 4
                            contentWidth: codeText.implicitWidth
                            contentHeight: codeText.implicitHeight
                            flickableDirection: Flickable.HorizontalFlick
                            boundsBehavior: Flickable.StopAtBounds
                            clip: true
                            interactive: contentWidth > width
                            TextEdit {
                                id: codeText
                                textFormat: TextEdit.RichText
                                text: row.html
                                readOnly: true
                                selectByMouse: true
                                wrapMode: TextEdit.NoWrap
                                color: colors.codeText
                                font.family: "monospace"
                                font.pointSize: 9.5
                                selectionColor: colors.accent
                            }
                        }
                        Scroller {
                            id: codeScroller
                            flickable: code
                            vertical: false
                            x: code.x
                            width: code.width
                            y: code.y + code.height - height
                        }
                    }
                }
            }

            Component {
                id: reasoningRow
                Item {
                    readonly property Item selectableText: body.visible ? body : null
                    implicitHeight: card.height + 8
                    Rectangle {
                        id: card
                        x: root.gutter + root.indent
                        y: 4
                        width: root.column - root.indent
                        height: toggle.height + (body.visible ? body.implicitHeight + 12 : 0)
                        radius: 10
                        color: colors.card
                        border.color: colors.cardBorder
                        FlatButton {
                            id: toggle
                            objectName: "reasoning-" + row.messageKey
                            width: parent.width
                            height: 34
                            radius: 10
                            leftAligned: true
                            iconName: row.extra.expanded ? "chevron-down" : "chevron-right"
                            iconSize: 14
                            foreground: colors.muted
                            fontSize: 9.5
                            text: row.extra.live ? qsTr("Thinking…")
                                : row.extra.seconds >= 0 ? qsTr("Thought for %1 s").arg(Math.max(1, Math.round(row.extra.seconds)))
                                : qsTr("Reasoning")
                            Accessible.description: row.extra.expanded ? qsTr("Hide the reasoning") : qsTr("Show the reasoning")
                            onClicked: transcript.toggleReasoning(row.messageKey)
                        }
                        TextEdit {
                            id: body
                            visible: row.extra.expanded
                            anchors.top: toggle.bottom
                            x: 14
                            width: parent.width - 28
                            text: row.plain
                            textFormat: TextEdit.PlainText
                            readOnly: true
                            selectByMouse: true
                            wrapMode: TextEdit.Wrap
                            color: colors.muted
                            font.pointSize: 9.5
                        }
                    }
                }
            }

            Component {
                id: toolCardRow
                Item {
                    implicitHeight: toolCard.implicitHeight
                    ToolCard {  // qml/ToolCard.qml
                        id: toolCard
                        x: root.gutter + root.indent
                        width: root.column - root.indent
                        extra: row.extra
                        arguments: row.plain
                        messageKey: row.messageKey
                    }
                }
            }

            Component {
                id: noticeRow
                Item {
                    implicitHeight: notice.implicitHeight + 8
                    Caption {
                        id: notice
                        x: root.gutter + root.indent
                        width: root.column - root.indent
                        wrapMode: Text.Wrap
                        textFormat: Text.PlainText
                        color: colors.error
                        text: qsTr("The model refused: %1").arg(row.plain)
                    }
                }
            }

            Component {
                id: waitingRow
                Item {
                    implicitHeight: 36
                    RowLayout {
                        x: root.gutter + root.indent
                        height: parent.height
                        spacing: 8
                        Spinner {
                            size: 18
                        }
                        Caption {
                            color: colors.muted
                            text: row.extra.seconds >= 0
                                ? qsTr("Waiting for first token… %1 s").arg(row.extra.seconds)
                                : qsTr("Waiting for first token…")
                        }
                    }
                }
            }

            Component {
                id: footerRow
                Item {
                    implicitHeight: footer.implicitHeight + 10
                    ColumnLayout {
                        id: footer
                        x: root.gutter + root.indent
                        width: root.column - root.indent
                        spacing: 2
                        Caption {
                            id: status
                            Layout.fillWidth: true
                            visible: text !== ""
                            wrapMode: Text.Wrap
                            textFormat: Text.PlainText
                            color: row.extra.state === "failed" || row.extra.state === "filtered" ? colors.error : colors.muted
                            font.bold: row.extra.state === "failed"
                            text: {
                                switch (row.extra.state) {
                                case "failed":
                                    var words = row.extra.error || qsTr("The reply failed.")
                                    return row.extra.retryAfter > 0
                                        ? qsTr("%1 (retry in %2 s)").arg(words).arg(Math.round(row.extra.retryAfter))
                                        : words
                                case "stopped": return qsTr("Stopped.")
                                case "interrupted": return qsTr("Interrupted: the app closed while this reply was arriving.")
                                case "cut": return qsTr("The answer was cut at the token limit.")
                                case "filtered": return qsTr("The provider's content filter ended the answer.")
                                }
                                return ""
                            }
                        }
                        RowLayout {
                            spacing: 2
                            Loader {
                                active: !!row.extra.version
                                visible: active
                                sourceComponent: VersionSwitcher {
                                    version: row.extra.version
                                    messageKey: row.messageKey
                                }
                            }
                            Caption {
                                text: row.plain
                                visible: text !== ""
                                color: colors.muted
                                font.pointSize: 8.5
                                rightPadding: 6
                            }
                            Repeater {
                                model: row.extra.actions
                                IconButton {
                                    required property string modelData
                                    objectName: modelData + "-" + row.messageKey
                                    iconName: root.actionIcon(modelData)
                                    tip: root.actionLabel(modelData)
                                    // Shown on hover or focus; always under the last reply and
                                    // under one that did not finish (Retry, Continue are for it).
                                    opacity: root.hoveredKey === row.messageKey || activeFocus
                                             || row.extra.state !== "finished"
                                             || row.index === list.count - 1 ? 1 : 0
                                    onClicked: transcript.act(modelData, row.messageKey)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    // Selecting text with the mouse, across rows: a press on a row's text starts a selection
    // that a drag extends over the rows below or above (the view scrolls when the mouse goes
    // past its edge); a click on a link opens it; a double click selects a word. A press
    // anywhere else goes on to what is there (buttons, the list's own dragging) and clears
    // the selection, unless it is on a scroll bar (the list's, a code card's).
    MouseArea {
        id: selector
        objectName: "transcriptSelector"
        anchors.fill: list
        acceptedButtons: Qt.LeftButton
        preventStealing: true  // (the list would take a vertical drag for a flick)
        property string pressedLink: ""
        property point pressedAt
        property bool dragging: false
        property bool byWord: false  // a double click selected a word: the drag is over
        property real lastX: 0
        property real lastY: 0

        // On a code card's scroll bar (a press there scrolls, and leaves the selection as it
        // is; the list's own scroll bar is above this area and gets its presses first).
        function overScrollBar(x, y) {
            var index = list.indexAt(x + list.contentX, y + list.contentY)
            return root.overCodeScrollBar(index < 0 ? null : list.itemAtIndex(index), x, y)
        }

        onPressed: (mouse) => {
            // A finger drags the list and taps links (the TextEdit's own), as before.
            var hit = mouse.source === Qt.MouseEventNotSynthesized ? root.textAt(mouse.x, mouse.y) : null
            if (!hit) {
                if (!overScrollBar(mouse.x, mouse.y))
                    root.clearSelection()
                mouse.accepted = false
                return
            }
            list.forceActiveFocus(Qt.MouseFocusReason)
            pressedLink = hit.edit.linkAt(hit.x, hit.y)
            pressedAt = Qt.point(mouse.x, mouse.y)
            lastX = mouse.x
            lastY = mouse.y
            dragging = false
            byWord = false
            var pos = hit.edit.positionAt(hit.x, hit.y)
            if (!(mouse.modifiers & Qt.ShiftModifier) || root.selAnchorRow < 0) {
                root.selAnchorRow = hit.row
                root.selAnchorPos = pos
            }
            root.selFocusRow = hit.row
            root.selFocusPos = pos
        }
        onPositionChanged: (mouse) => {
            lastX = mouse.x
            lastY = mouse.y
            if (byWord)
                return
            if (!dragging && Math.abs(mouse.x - pressedAt.x) + Math.abs(mouse.y - pressedAt.y)
                    < Application.styleHints.startDragDistance)
                return
            dragging = true
            root.selectTo(mouse.x, mouse.y)
        }
        onReleased: (mouse) => {
            var link = pressedLink
            pressedLink = ""
            if (dragging || byWord || (mouse.modifiers & Qt.ShiftModifier))
                root.selectionMade()
            if (dragging || byWord || link === "" || (mouse.modifiers & Qt.ShiftModifier))
                return  // (Shift+click extends the selection, wherever it lands)
            var hit = root.textAt(mouse.x, mouse.y)
            if (hit && hit.edit.linkAt(hit.x, hit.y) === link)
                transcript.openLink(link)
        }
        onDoubleClicked: (mouse) => {
            var hit = root.textAt(mouse.x, mouse.y)
            if (!hit)
                return
            hit.edit.cursorPosition = hit.edit.positionAt(hit.x, hit.y)
            hit.edit.selectWord()
            var start = hit.edit.selectionStart
            var end = hit.edit.selectionEnd  // (read first: the selection is set again below)
            byWord = true
            root.selAnchorRow = hit.row
            root.selAnchorPos = start
            root.selFocusRow = hit.row
            root.selFocusPos = end
        }
        onCanceled: dragging = false

        Timer {  // the mouse went past the top or bottom while selecting: scroll that way
            interval: 30
            repeat: true
            running: selector.pressed && selector.dragging
                     && (selector.lastY < 0 || selector.lastY >= list.height)
            onTriggered: {
                var past = selector.lastY < 0 ? selector.lastY : selector.lastY - list.height + 1
                root.scrollBy(Math.max(-60, Math.min(60, past / 2 + (past < 0 ? -4 : 4))))
                root.userScrolled()
                root.selectTo(selector.lastX, selector.lastY)
            }
        }
    }

    // Rows inserted or removed before the selection move it; removed, it goes.
    Connections {
        target: transcriptModel
        enabled: root.selAnchorRow >= 0
        function onRowsInserted(parent, first, last) {
            var count = last - first + 1
            if (first <= root.selAnchorRow)
                root.selAnchorRow += count
            if (first <= root.selFocusRow)
                root.selFocusRow += count
        }
        function onRowsRemoved(parent, first, last) {
            if (last < root.selFirstRow) {
                var count = last - first + 1
                root.selAnchorRow -= count
                root.selFocusRow -= count
            } else if (first <= root.selLastRow) {
                root.clearSelection()
            }
        }
        function onModelReset() { root.clearSelection() }
        // (A row's text set again, a reply streaming, loses the selection it showed.)
        function onDataChanged(topLeft, bottomRight) {
            if (root.hasSelection && bottomRight.row >= root.selFirstRow
                    && topLeft.row <= root.selLastRow)
                Qt.callLater(root.showSelectionInView)
        }
    }

    Column {
        anchors.centerIn: parent
        width: Math.min(parent.width - 48, 440)
        spacing: 10
        visible: list.count === 0
        Glyph {
            anchors.horizontalCenter: parent.horizontalCenter
            name: "message-square-text"
            size: 40
            color: colors.muted
        }
        Caption {
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            text: qsTr("Start a conversation")
            color: colors.text
            font.pointSize: 15
            font.bold: true
        }
        Caption {
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.Wrap
            color: colors.muted
            text: qsTr("Type a message below and press Enter to send it. Pick a provider in the toolbar, or add one in Settings (Ctrl+,). Your conversations are kept in the list on the left.")
        }
    }

    Scroller {
        id: listScroller
        objectName: "transcriptScrollBar"
        flickable: list
        anchors.right: list.right
        anchors.top: list.top
        anchors.bottom: list.bottom
        onScrolled: root.userScrolled()
    }

    FlatButton {
        id: jump
        objectName: "jumpToLatest"
        anchors.horizontalCenter: parent.horizontalCenter
        anchors.bottom: parent.bottom
        anchors.bottomMargin: 16
        visible: !root.follow && list.count > 0
        text: qsTr("Jump to latest")
        iconName: "arrow-down"
        foreground: colors.text
        padding: 14
        implicitHeight: 38
        radius: height / 2
        framed: true
        onClicked: {
            root.follow = true
            transcript.following(true)
            root.toEnd()
        }
    }
}
