// A button drawn the app's way: an icon and/or a text (or, with `standard: false`, the
// children as its content), a tint on hover, press and keyboard focus, a tooltip (`tip`).
// Mouse, Space/Enter and a screen reader's press all click it.
import QtQuick

Rectangle {
    id: button
    property string text
    property string iconName
    property int iconSize: 16
    property bool showText: true  // false: the icon alone (`text` is still its name)
    property bool standard: true  // false: the children are its content
    property bool leftAligned: false
    property bool highlighted: false  // the default answer: filled with the accent
    property bool framed: false  // a bordered button (not a toolbar-like one)
    property real padding: 8
    property string tip
    property color foreground: highlighted ? colors.background
                               : hovered || visualFocus ? colors.text : colors.muted
    property real fontSize: 10
    readonly property alias hovered: area.containsMouse
    readonly property alias down: area.pressed
    // Focus shows (tint, border, tooltip) when it came from the keyboard or the app, not
    // with a click; nor when the window comes back to the front with the clicked button.
    property bool focusByPointer: false
    readonly property bool visualFocus: activeFocus && !focusByPointer
    signal clicked()

    Connections {  // another item took the focus: the next time it comes, it is not a click
        target: button.focusByPointer ? button.Window.window : null
        function onActiveFocusItemChanged() {
            var item = button.Window.activeFocusItem
            if (item && item !== button)
                button.focusByPointer = false
        }
    }

    function click() {
        if (enabled)
            clicked()
    }

    activeFocusOnTab: true
    implicitWidth: standard ? content.implicitWidth + 2 * padding : 0
    implicitHeight: standard ? Math.max(30, content.implicitHeight + padding) : 0
    radius: 7
    color: highlighted ? (down ? Qt.darker(colors.accent, 1.2) : colors.accent)
         : down ? colors.cardBorder
         : hovered || visualFocus ? colors.hover
         : framed ? colors.card : "transparent"
    border.width: framed || highlighted || visualFocus ? 1 : 0
    border.color: visualFocus ? colors.accent : colors.cardBorder

    Accessible.role: Accessible.Button
    Accessible.name: text !== "" ? text : tip
    Accessible.focusable: true
    Accessible.onPressAction: click()
    Keys.onPressed: (event) => {
        if (event.key === Qt.Key_Space || event.key === Qt.Key_Return
                || event.key === Qt.Key_Enter) {
            if (!event.isAutoRepeat)
                click()
            event.accepted = true  // (a held key repeats: not typed into the composer)
        }
    }

    MouseArea {
        id: area
        anchors.fill: parent
        hoverEnabled: true
        onPressed: {
            button.focusByPointer = true
            button.forceActiveFocus(Qt.MouseFocusReason)
        }
        onClicked: button.click()
    }

    Row {
        id: content
        visible: button.standard
        x: button.leftAligned ? button.padding : (button.width - width) / 2
        anchors.verticalCenter: parent.verticalCenter
        spacing: 6
        opacity: button.enabled ? 1 : 0.4
        Glyph {
            visible: button.iconName !== ""
            anchors.verticalCenter: parent.verticalCenter
            name: button.iconName
            size: button.iconSize
            color: button.foreground
        }
        Text {
            visible: button.showText && button.text !== ""
            anchors.verticalCenter: parent.verticalCenter
            text: button.text
            color: button.foreground
            font.pointSize: button.fontSize
        }
    }

    Tip {
        text: button.tip
        shown: button.hovered || button.visualFocus
    }
}
