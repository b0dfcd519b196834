// Text that a screen reader reads, as it is shown.
import QtQuick

Text {
    Accessible.role: Accessible.StaticText
    Accessible.name: text
}
