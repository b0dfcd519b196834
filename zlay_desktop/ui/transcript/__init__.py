"""The conversation transcript: a virtualized Qt Quick list of Markdown blocks.

- `model.py`  the rows (`Row`) as a Qt list model; tells Qt exactly which rows changed
- `rows.py`   what each part of a message looks like as rows (pure functions)
- `view.py`   `TranscriptView`, the widget the window uses: streaming, actions, links
- `theme.py`  light and dark colours for the QML
- `engine.py` the QML engine's set-up (image providers: math)
- `math_images.py` typeset formulas as images (`image://math/KEY`)
- `qml/`      the list and its delegates
"""

from zlay_desktop.ui.transcript.view import TranscriptView

__all__ = ["TranscriptView"]
