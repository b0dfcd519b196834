// While its message is highlighted (a search hit opened), selects the first of the words
// searched for in one text of that message, so that the match shows; deselects after.
// Context property: transcript (the Python bridge).
import QtQuick

Item {
    id: marker
    required property var edit  // a TextEdit
    required property int messageKey
    property bool marking: false
    signal markingEnded()  // the text's own selection (the user's, if any) may show again
    visible: false

    function apply() {
        if (!transcript || transcript.highlightedKey !== messageKey) {
            if (marking) {
                edit.deselect()
                marking = false
                markingEnded()
            }
            return
        }
        var text = edit.getText(0, edit.length).toLowerCase()
        var words = transcript.highlightedWords
        for (var i = 0; i < words.length; i++) {
            var at = text.indexOf(words[i])
            if (at >= 0) {
                edit.select(at, at + words[i].length)
                marking = true
                transcript.matchShown(messageKey, edit.selectedText)
                return
            }
        }
    }

    Connections {
        target: transcript
        function onHighlightChanged() { marker.apply() }
    }
    Component.onCompleted: apply()
}
