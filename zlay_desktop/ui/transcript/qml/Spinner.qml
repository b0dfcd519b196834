// Something is under way: a turning circle (`running`).
import QtQuick

Glyph {
    id: spinner
    property bool running: true
    name: "loader-circle"
    color: colors.muted
    RotationAnimator on rotation {
        running: spinner.running && spinner.visible
        from: 0
        to: 360
        duration: 900
        loops: Animation.Infinite
    }
}
