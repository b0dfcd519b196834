// One of the app's icons (resources/icons), drawn in `color` at `size` pixels.
import QtQuick

Image {
    id: glyph
    property string name
    property color color: colors.muted
    property int size: 16
    width: size
    height: size
    sourceSize.width: size
    sourceSize.height: size
    source: name === "" ? "" : "image://icon/" + name + "/" + hex(color.r) + hex(color.g) + hex(color.b)

    function hex(channel) {
        return ("0" + Math.round(channel * 255).toString(16)).slice(-2)
    }
}
