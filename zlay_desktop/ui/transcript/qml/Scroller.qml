// A scroll bar for `flickable`: a handle that shows where the view is and how much of the
// content it shows; drag it, or press beside it to move a page. Shown only when there is
// more to see.
import QtQuick

Item {
    id: bar
    required property Flickable flickable
    property bool vertical: true
    readonly property real ratio: vertical ? flickable.visibleArea.heightRatio
                                           : flickable.visibleArea.widthRatio
    readonly property real position: vertical ? flickable.visibleArea.yPosition
                                              : flickable.visibleArea.xPosition
    readonly property real length: vertical ? height : width
    readonly property real handleLength: Math.max(24, Math.min(1, ratio) * length)
    // (position runs from 0 to 1 - ratio: from the top to the end)
    readonly property real handleAt: ratio >= 1 ? 0 : Math.max(0, Math.min(length - handleLength,
        position / (1 - ratio) * (length - handleLength)))
    readonly property bool active: area.containsMouse || area.pressed
        || (vertical ? flickable.movingVertically : flickable.movingHorizontally)

    signal scrolled()  // the user moved the view with it

    visible: ratio > 0 && ratio < 1
    implicitWidth: vertical ? 10 : 0
    implicitHeight: vertical ? 0 : 10

    // Moves the view so that the handle's start is at `at` pixels along the bar.
    function scrollTo(at) {
        var f = flickable
        var free = Math.max(1, length - handleLength)
        var share = Math.max(0, Math.min(1, at / free))
        if (vertical)
            f.contentY = f.originY - f.topMargin
                + share * Math.max(0, f.contentHeight + f.topMargin + f.bottomMargin - f.height)
        else
            f.contentX = f.originX + share * Math.max(0, f.contentWidth - f.width)
    }

    Rectangle {
        x: bar.vertical ? (bar.width - width) / 2 : bar.handleAt
        y: bar.vertical ? bar.handleAt : (bar.height - height) / 2
        width: bar.vertical ? (bar.active ? 8 : 5) : bar.handleLength
        height: bar.vertical ? bar.handleLength : (bar.active ? 8 : 5)
        radius: 4
        color: colors.muted
        opacity: bar.active ? 0.7 : 0.4
    }

    MouseArea {
        id: area
        anchors.fill: parent
        hoverEnabled: true
        preventStealing: true  // (a list around it would take a slanted drag for a flick)
        property real grabbedAt: -1  // where on the handle the press was (-1: beside it)
        onPressed: (mouse) => {
            var at = bar.vertical ? mouse.y : mouse.x
            if (at >= bar.handleAt && at <= bar.handleAt + bar.handleLength) {
                grabbedAt = at - bar.handleAt
            } else {
                grabbedAt = -1
                var page = bar.vertical ? bar.flickable.height : bar.flickable.width
                var step = at < bar.handleAt ? -page : page
                if (bar.vertical)
                    bar.flickable.contentY = Math.max(bar.flickable.originY - bar.flickable.topMargin,
                        Math.min(bar.flickable.contentY + step,
                                 bar.flickable.originY + bar.flickable.contentHeight
                                 + bar.flickable.bottomMargin - bar.flickable.height))
                else
                    bar.flickable.contentX = Math.max(bar.flickable.originX,
                        Math.min(bar.flickable.contentX + step,
                                 bar.flickable.originX + bar.flickable.contentWidth - bar.flickable.width))
                bar.scrolled()
            }
        }
        onPositionChanged: (mouse) => {
            if (pressed && grabbedAt >= 0) {
                bar.scrollTo((bar.vertical ? mouse.y : mouse.x) - grabbedAt)
                bar.scrolled()
            }
        }
        onReleased: grabbedAt = -1
    }
}
