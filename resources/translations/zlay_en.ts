<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US" sourcelanguage="en">
<context>
    <name>AttachmentTray</name>
    <message numerus="yes">
        <source>%n page(s)</source>
        <translation>
            <numerusform>%n page</numerusform>
            <numerusform>%n pages</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Attachments</name>
    <message numerus="yes">
        <source>%n byte(s)</source>
        <translation>
            <numerusform>%n byte</numerusform>
            <numerusform>%n bytes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n page(s)</source>
        <translation>
            <numerusform>%n page</numerusform>
            <numerusform>%n pages</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ConnectionTest</name>
    <message numerus="yes">
        <source>{0} and %n more</source>
        <translation>
            <numerusform>{0} and %n more</numerusform>
            <numerusform>{0} and %n more</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ConversationFileActions</name>
    <message numerus="yes">
        <source>Imported %n conversation(s) from {0}.</source>
        <translation>
            <numerusform>Imported %n conversation from {0}.</numerusform>
            <numerusform>Imported %n conversations from {0}.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ProfileFormView</name>
    <message numerus="yes">
        <source>%n models available: type to search.</source>
        <translation>
            <numerusform>%n model available: type to search.</numerusform>
            <numerusform>%n models available: type to search.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ToolCard</name>
    <message numerus="yes">
        <source>%n image(s)</source>
        <translation>
            <numerusform>%n image</numerusform>
            <numerusform>%n images</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TranscriptAttachments</name>
    <message numerus="yes">
        <source>%n page(s)</source>
        <translation>
            <numerusform>%n page</numerusform>
            <numerusform>%n pages</numerusform>
        </translation>
    </message>
</context>
</TS>
