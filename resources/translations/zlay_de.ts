<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE" sourcelanguage="en">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About {0}</source>
        <translation>Über {0}</translation>
    </message>
    <message>
        <source>{0} icon</source>
        <translation>{0}-Symbol</translation>
    </message>
    <message>
        <source>Version {0}</source>
        <translation>Version {0}</translation>
    </message>
    <message>
        <source>A desktop chat client for OpenAI and OpenAI-compatible APIs.</source>
        <translation>Ein Desktop-Chat-Client für OpenAI und OpenAI-kompatible APIs.</translation>
    </message>
    <message>
        <source>Released under the {0} license.</source>
        <translation>Veröffentlicht unter der {0}-Lizenz.</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Verlauf</translation>
    </message>
    <message>
        <source>Logs</source>
        <translation>Protokolle</translation>
    </message>
    <message>
        <source>{0} folder</source>
        <translation>Ordner „{0}“</translation>
    </message>
    <message>
        <source>Copy diagnostics</source>
        <translation>Diagnose kopieren</translation>
    </message>
    <message>
        <source>Copies versions, platform and these folders (never an API key) for a bug report</source>
        <translation>Kopiert Versionen, Plattform und diese Ordner (nie einen API-Schlüssel) für einen Fehlerbericht</translation>
    </message>
    <message>
        <source>Copy status</source>
        <translation>Kopierstatus</translation>
    </message>
    <message>
        <source>Copied to the clipboard.</source>
        <translation>In die Zwischenablage kopiert.</translation>
    </message>
</context>
<context>
    <name>Application</name>
    <message>
        <source>Conversations will not be saved in this session.</source>
        <translation>Unterhaltungen werden in dieser Sitzung nicht gespeichert.</translation>
    </message>
    <message>
        <source>The MCP servers of {0} were not loaded: {1}</source>
        <translation>Die MCP-Server aus {0} wurden nicht geladen: {1}</translation>
    </message>
    <message>
        <source>An answer is still coming: export when it has ended.</source>
        <translation>Eine Antwort kommt noch: Exportieren Sie, wenn sie fertig ist.</translation>
    </message>
    <message>
        <source>Chosen by the assistant “{0}”</source>
        <translation>Vom Assistenten „{0}“ gewählt</translation>
    </message>
    <message>
        <source>The provider the next message goes to</source>
        <translation>Der Anbieter, an den die nächste Nachricht geht</translation>
    </message>
    <message>
        <source>The assistant of this conversation was deleted: it goes on with “{0}”.</source>
        <translation>Der Assistent dieser Unterhaltung wurde gelöscht: Sie wird mit „{0}“ fortgesetzt.</translation>
    </message>
    <message>
        <source>{0} at {1} (command line)</source>
        <translation>{0} auf {1} (Befehlszeile)</translation>
    </message>
    <message>
        <source>No provider is set up.</source>
        <translation>Kein Anbieter eingerichtet.</translation>
    </message>
    <message>
        <source>The assistant “{0}” was deleted: this conversation goes on with “{1}”.</source>
        <translation>Der Assistent „{0}“ wurde gelöscht: Diese Unterhaltung wird mit „{1}“ fortgesetzt.</translation>
    </message>
    <message>
        <source>Something went wrong inside {0}: {1}. Your conversation is safe. Details are in the log: {2}</source>
        <translation>In {0} ist etwas schiefgegangen: {1}. Ihre Unterhaltung ist sicher. Details stehen im Protokoll: {2}</translation>
    </message>
</context>
<context>
    <name>Assistants</name>
    <message>
        <source>Assistant</source>
        <translation>Assistent</translation>
    </message>
    <message>
        <source>Answers with the provider&apos;s settings</source>
        <translation>Antwortet mit den Einstellungen des Anbieters</translation>
    </message>
    <message>
        <source>{0}: “{1}” should be text.</source>
        <translation>{0}: „{1}“ muss Text sein.</translation>
    </message>
    <message>
        <source>{0}: “{1}” should be a number.</source>
        <translation>{0}: „{1}“ muss eine Zahl sein.</translation>
    </message>
    <message>
        <source>{0}: “{1}” should be a whole number.</source>
        <translation>{0}: „{1}“ muss eine ganze Zahl sein.</translation>
    </message>
    <message>
        <source>an assistant</source>
        <translation>ein Assistent</translation>
    </message>
    <message>
        <source>{0} is not an object.</source>
        <translation>{0} ist kein Objekt.</translation>
    </message>
    <message>
        <source>{0}: “mcp_servers” should be a list of names.</source>
        <translation>{0}: „mcp_servers“ muss eine Liste von Namen sein.</translation>
    </message>
    <message>
        <source>{0}: “profile_id” should be text.</source>
        <translation>{0}: „profile_id“ muss Text sein.</translation>
    </message>
    <message>
        <source>This is not a JSON file ({0}).</source>
        <translation>Dies ist keine JSON-Datei ({0}).</translation>
    </message>
    <message>
        <source>This file holds no assistants (no “assistants” list).</source>
        <translation>Diese Datei enthält keine Assistenten (keine „assistants“-Liste).</translation>
    </message>
    <message>
        <source>Assistant {0}</source>
        <translation>Assistent {0}</translation>
    </message>
    <message>
        <source>Temperature must be a number from 0 to 2, or empty.</source>
        <translation>Die Temperatur muss eine Zahl von 0 bis 2 sein oder leer bleiben.</translation>
    </message>
    <message>
        <source>Top-p must be a number above 0, at most 1, or empty.</source>
        <translation>Top-p muss eine Zahl über 0 und höchstens 1 sein oder leer bleiben.</translation>
    </message>
    <message>
        <source>Max tokens must be a positive whole number, or empty.</source>
        <translation>Max. Tokens muss eine positive ganze Zahl oder leer sein.</translation>
    </message>
</context>
<context>
    <name>AssistantsPage</name>
    <message>
        <source>Assistants</source>
        <translation>Assistenten</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Hinzufügen</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>Duplizieren</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Up</source>
        <translation>Nach oben</translation>
    </message>
    <message>
        <source>Down</source>
        <translation>Nach unten</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>Importieren…</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Exportieren…</translation>
    </message>
    <message>
        <source>Add assistant</source>
        <translation>Assistent hinzufügen</translation>
    </message>
    <message>
        <source>Duplicate assistant</source>
        <translation>Assistent duplizieren</translation>
    </message>
    <message>
        <source>Delete assistant</source>
        <translation>Assistent löschen</translation>
    </message>
    <message>
        <source>Move assistant up</source>
        <translation>Assistent nach oben verschieben</translation>
    </message>
    <message>
        <source>Move assistant down</source>
        <translation>Assistent nach unten verschieben</translation>
    </message>
    <message>
        <source>Import assistants</source>
        <translation>Assistenten importieren</translation>
    </message>
    <message>
        <source>Export assistants</source>
        <translation>Assistenten exportieren</translation>
    </message>
    <message>
        <source>Assistant icon</source>
        <translation>Symbol des Assistenten</translation>
    </message>
    <message>
        <source>Assistant name</source>
        <translation>Name des Assistenten</translation>
    </message>
    <message>
        <source>Assistant description</source>
        <translation>Beschreibung des Assistenten</translation>
    </message>
    <message>
        <source>Assistant provider</source>
        <translation>Anbieter des Assistenten</translation>
    </message>
    <message>
        <source>Assistant model</source>
        <translation>Modell des Assistenten</translation>
    </message>
    <message>
        <source>the provider&apos;s model</source>
        <translation>das Modell des Anbieters</translation>
    </message>
    <message>
        <source>Assistant temperature</source>
        <translation>Temperatur des Assistenten</translation>
    </message>
    <message>
        <source>Assistant top-p</source>
        <translation>Top-p des Assistenten</translation>
    </message>
    <message>
        <source>Assistant max tokens</source>
        <translation>Max. Tokens des Assistenten</translation>
    </message>
    <message>
        <source>the provider&apos;s</source>
        <translation>die des Anbieters</translation>
    </message>
    <message>
        <source>Assistant system prompt</source>
        <translation>Systemprompt des Assistenten</translation>
    </message>
    <message>
        <source>How the model should answer. Empty: the provider&apos;s system prompt.</source>
        <translation>Wie das Modell antworten soll. Leer: der Systemprompt des Anbieters.</translation>
    </message>
    <message>
        <source>Assistant MCP servers</source>
        <translation>MCP-Server des Assistenten</translation>
    </message>
    <message>
        <source>Assistant problem</source>
        <translation>Problem mit dem Assistenten</translation>
    </message>
    <message>
        <source>An assistant&apos;s empty fields take the provider&apos;s settings. A conversation keeps the assistant it was started with; pick another one for it above the message box.</source>
        <translation>Leere Felder eines Assistenten übernehmen die Einstellungen des Anbieters. Eine Unterhaltung behält den Assistenten, mit dem sie begonnen wurde; wählen Sie über dem Nachrichtenfeld einen anderen für sie.</translation>
    </message>
    <message>
        <source>The provider chosen beside the message box</source>
        <translation>Der neben dem Nachrichtenfeld gewählte Anbieter</translation>
    </message>
    <message>
        <source>Icon</source>
        <translation>Symbol</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Beschreibung</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>Anbieter</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>Temperatur</translation>
    </message>
    <message>
        <source>Top-p</source>
        <translation>Top-p</translation>
    </message>
    <message>
        <source>Max tokens</source>
        <translation>Max. Tokens</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>Systemprompt</translation>
    </message>
    <message>
        <source>MCP tools</source>
        <translation>MCP-Werkzeuge</translation>
    </message>
    <message>
        <source>(unnamed)</source>
        <translation>(ohne Namen)</translation>
    </message>
    <message>
        <source>New assistant</source>
        <translation>Neuer Assistent</translation>
    </message>
    <message>
        <source>Could not read {path}: {why}</source>
        <translation>{path} konnte nicht gelesen werden: {why}</translation>
    </message>
    <message>
        <source>Nothing was imported from {path}: {why}</source>
        <translation>Aus {path} wurde nichts importiert: {why}</translation>
    </message>
    <message>
        <source>Could not write {path}: {why}</source>
        <translation>{path} konnte nicht geschrieben werden: {why}</translation>
    </message>
    <message>
        <source>JSON (*.json);;*</source>
        <translation>JSON (*.json);;*</translation>
    </message>
    <message>
        <source>(a deleted provider)</source>
        <translation>(ein gelöschter Anbieter)</translation>
    </message>
    <message>
        <source>None ticked: the tools of every enabled MCP server.</source>
        <translation>Keiner ausgewählt: die Werkzeuge aller aktivierten MCP-Server.</translation>
    </message>
    <message>
        <source>No MCP servers yet (see the MCP servers page).</source>
        <translation>Noch keine MCP-Server (siehe Seite „MCP-Server“).</translation>
    </message>
</context>
<context>
    <name>AttachmentOpener</name>
    <message>
        <source>This file is no longer in the history&apos;s folder, so it cannot be shown.</source>
        <translation>Diese Datei liegt nicht mehr im Ordner des Verlaufs und kann daher nicht angezeigt werden.</translation>
    </message>
    <message>
        <source>No program to show %1 was found.</source>
        <translation>Es wurde kein Programm gefunden, das %1 anzeigen kann.</translation>
    </message>
    <message>
        <source>“%1” could not be shown: %2</source>
        <translation>„%1“ konnte nicht angezeigt werden: %2</translation>
    </message>
</context>
<context>
    <name>AttachmentStrip</name>
    <message>
        <source>Image, %1 pixels</source>
        <translation>Bild, %1 Pixel</translation>
    </message>
    <message>
        <source>1 page</source>
        <translation>1 Seite</translation>
    </message>
    <message>
        <source>%1 pages</source>
        <translation>%1 Seiten</translation>
    </message>
    <message>
        <source>Open %1</source>
        <translation>%1 öffnen</translation>
    </message>
</context>
<context>
    <name>AttachmentTray</name>
    <message>
        <source>Attachment {name}</source>
        <translation>Anhang {name}</translation>
    </message>
    <message>
        <source>Remove {name}</source>
        <translation>{name} entfernen</translation>
    </message>
    <message>
        <source>{name} · reading…</source>
        <translation>{name} · wird gelesen…</translation>
    </message>
    <message numerus="yes">
        <source>%n page(s)</source>
        <translation>
            <numerusform>%n Seite</numerusform>
            <numerusform>%n Seiten</numerusform>
        </translation>
    </message>
    <message>
        <source>~{tokens} tokens</source>
        <translation>~{tokens} Tokens</translation>
    </message>
    <message>
        <source>Attachments</source>
        <translation>Anhänge</translation>
    </message>
    <message>
        <source>Pasted image.png</source>
        <translation>Eingefügtes Bild.png</translation>
    </message>
    <message>
        <source>“{name}” could not be attached ({error}).</source>
        <translation>„{name}“ konnte nicht angehängt werden ({error}).</translation>
    </message>
</context>
<context>
    <name>Attachments</name>
    <message>
        <source>{0} MB</source>
        <translation>{0} MB</translation>
    </message>
    <message>
        <source>{0} kB</source>
        <translation>{0} kB</translation>
    </message>
    <message numerus="yes">
        <source>%n byte(s)</source>
        <translation>
            <numerusform>%n Byte</numerusform>
            <numerusform>%n Bytes</numerusform>
        </translation>
    </message>
    <message>
        <source>“{0}” is not a file, so it was not added.</source>
        <translation>„{0}“ ist keine Datei und wurde daher nicht hinzugefügt.</translation>
    </message>
    <message>
        <source>“{0}” could not be read ({1}), so it was not added.</source>
        <translation>„{0}“ konnte nicht gelesen werden ({1}) und wurde daher nicht hinzugefügt.</translation>
    </message>
    <message>
        <source>“{0}” is empty, so it was not added.</source>
        <translation>„{0}“ ist leer und wurde daher nicht hinzugefügt.</translation>
    </message>
    <message>
        <source>“{0}” is not a valid {1} file (its content does not match its name), so it was not added.</source>
        <translation>„{0}“ ist keine gültige {1}-Datei (der Inhalt passt nicht zum Namen) und wurde daher nicht hinzugefügt.</translation>
    </message>
    <message>
        <source>“{0}” is {1}: larger than the {2} an attachment may be, so it was not added.</source>
        <translation>„{0}“ ist {1} groß: mehr als die {2}, die ein Anhang haben darf, und wurde daher nicht hinzugefügt.</translation>
    </message>
    <message>
        <source>“{0}” could not be read as an image: it is damaged or incomplete, so it was not added.</source>
        <translation>„{0}“ konnte nicht als Bild gelesen werden: Es ist beschädigt oder unvollständig und wurde daher nicht hinzugefügt.</translation>
    </message>
    <message>
        <source>“{0}” says it is {1:,} × {2:,} pixels: too large to open safely, so it was not added.</source>
        <translation>„{0}“ gibt an, {1:,} × {2:,} Pixel groß zu sein: zu groß, um es sicher zu öffnen, und wurde daher nicht hinzugefügt.</translation>
    </message>
    <message>
        <source>“{0}” is too large an image to open safely, so it was not added.</source>
        <translation>„{0}“ ist ein zu großes Bild, um es sicher zu öffnen, und wurde daher nicht hinzugefügt.</translation>
    </message>
    <message>
        <source>“{0}” is not a text file (it looks binary), so it was not added. Images, PDFs, Word documents (.docx) and text files can be attached.</source>
        <translation>„{0}“ ist keine Textdatei (sie sieht binär aus) und wurde daher nicht hinzugefügt. Bilder, PDFs, Word-Dokumente (.docx) und Textdateien können angehängt werden.</translation>
    </message>
    <message>
        <source>Reading Word documents needs the optional python-docx package (pip install &quot;zlay-desktop[docx]&quot;)</source>
        <translation>Zum Lesen von Word-Dokumenten wird das optionale Paket python-docx benötigt (pip install &quot;zlay-desktop[docx]&quot;)</translation>
    </message>
    <message>
        <source>“{0}” could not be read as a Word document (.docx): it is damaged or not really one, so it was not added.</source>
        <translation>„{0}“ konnte nicht als Word-Dokument (.docx) gelesen werden: Es ist beschädigt oder gar keines und wurde daher nicht hinzugefügt.</translation>
    </message>
    <message>
        <source>{0}, so “{1}” was not added.</source>
        <translation>{0}, daher wurde „{1}“ nicht hinzugefügt.</translation>
    </message>
    <message>
        <source>“{0}” unpacks to {1}: too large to open safely, so it was not added.</source>
        <translation>„{0}“ ist entpackt {1} groß: zu groß, um es sicher zu öffnen, und wurde daher nicht hinzugefügt.</translation>
    </message>
    <message>
        <source>“{0}” has no text, so it was not added.</source>
        <translation>„{0}“ enthält keinen Text und wurde daher nicht hinzugefügt.</translation>
    </message>
    <message>
        <source>“{0}” holds {1:,} characters of text: more than a model can take (the limit is {2:,}), so it was not added.</source>
        <translation>„{0}“ enthält {1:,} Zeichen Text: mehr, als ein Modell verarbeiten kann (die Grenze liegt bei {2:,}), und wurde daher nicht hinzugefügt.</translation>
    </message>
    <message>
        <source>“{0}” could not be read as a PDF: it is damaged, so it was not added.</source>
        <translation>„{0}“ konnte nicht als PDF gelesen werden: Es ist beschädigt und wurde daher nicht hinzugefügt.</translation>
    </message>
    <message>
        <source>“{0}” is protected by a password, so its text could not be read and it was not added.</source>
        <translation>„{0}“ ist passwortgeschützt; sein Text konnte nicht gelesen werden und es wurde nicht hinzugefügt.</translation>
    </message>
    <message>
        <source>“{0}” has {1:,} pages: more than the {2:,} an attachment may have, so it was not added.</source>
        <translation>„{0}“ hat {1:,} Seiten: mehr als die {2:,}, die ein Anhang haben darf, und wurde daher nicht hinzugefügt.</translation>
    </message>
    <message>
        <source>“{0}” has no pages, so it was not added.</source>
        <translation>„{0}“ hat keine Seiten und wurde daher nicht hinzugefügt.</translation>
    </message>
    <message>
        <source>“{0}” ({1}) has no text layer: it looks scanned, so it was not added. Attach its pages as images instead, for a model that reads images.</source>
        <translation>„{0}“ ({1}) hat keine Textebene: Es sieht gescannt aus und wurde daher nicht hinzugefügt. Hängen Sie die Seiten stattdessen als Bilder an, für ein Modell, das Bilder lesen kann.</translation>
    </message>
    <message numerus="yes">
        <source>%n page(s)</source>
        <translation>
            <numerusform>%n Seite</numerusform>
            <numerusform>%n Seiten</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ChatController</name>
    <message>
        <source>This profile&apos;s model does not accept images (see Settings, “The model accepts images”). Remove the images, or choose another profile; nothing was sent.</source>
        <translation>Das Modell dieses Profils nimmt keine Bilder an (siehe Einstellungen, „Das Modell nimmt Bilder an“). Entfernen Sie die Bilder oder wählen Sie ein anderes Profil; es wurde nichts gesendet.</translation>
    </message>
    <message>
        <source>Could not open the conversation: {0}</source>
        <translation>Die Unterhaltung konnte nicht geöffnet werden: {0}</translation>
    </message>
</context>
<context>
    <name>ChatError</name>
    <message>
        <source>{0} answered with a web page (HTTP {1}), not an API. A proxy or gateway may be in the way, or the base URL is wrong.</source>
        <translation>{0} hat mit einer Webseite geantwortet (HTTP {1}), nicht mit einer API. Möglicherweise ist ein Proxy oder Gateway im Weg, oder die Basis-URL ist falsch.</translation>
    </message>
    <message>
        <source>The API key was rejected (HTTP 401). Check the key in Settings.</source>
        <translation>Der API-Schlüssel wurde abgelehnt (HTTP 401). Prüfen Sie den Schlüssel in den Einstellungen.</translation>
    </message>
    <message>
        <source>Access was denied (HTTP 403): the key may lack permission for this model or the account may be restricted.</source>
        <translation>Zugriff verweigert (HTTP 403): Dem Schlüssel fehlt eventuell die Berechtigung für dieses Modell, oder das Konto ist eingeschränkt.</translation>
    </message>
    <message>
        <source>Not found (HTTP 404): the model &apos;{0}&apos; does not exist on this server, or the base URL is wrong (it usually ends in /v1).</source>
        <translation>Nicht gefunden (HTTP 404): Das Modell „{0}“ gibt es auf diesem Server nicht, oder die Basis-URL ist falsch (sie endet meist auf /v1).</translation>
    </message>
    <message>
        <source>Not found (HTTP 404): the model does not exist on this server, or the base URL is wrong (it usually ends in /v1).</source>
        <translation>Nicht gefunden (HTTP 404): Das Modell gibt es auf diesem Server nicht, oder die Basis-URL ist falsch (sie endet meist auf /v1).</translation>
    </message>
    <message>
        <source>Rate limited (HTTP 429): the server asks to slow down.</source>
        <translation>Anfragelimit erreicht (HTTP 429): Der Server bittet, langsamer zu machen.</translation>
    </message>
    <message>
        <source>Try again in {0} s.</source>
        <translation>Versuchen Sie es in {0} s erneut.</translation>
    </message>
    <message>
        <source>The server refused the request (HTTP {0}): {1}</source>
        <translation>Der Server hat die Anfrage abgelehnt (HTTP {0}): {1}</translation>
    </message>
    <message>
        <source>bad request</source>
        <translation>fehlerhafte Anfrage</translation>
    </message>
    <message>
        <source>The server had an error (HTTP {0}). It is not your fault; try again.</source>
        <translation>Auf dem Server ist ein Fehler aufgetreten (HTTP {0}). Das liegt nicht an Ihnen; versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>Unexpected answer from the server (HTTP {0}).</source>
        <translation>Unerwartete Antwort vom Server (HTTP {0}).</translation>
    </message>
    <message>
        <source>A secure connection to {0} could not be made (TLS): the certificate is not trusted or the server does not speak HTTPS.</source>
        <translation>Es konnte keine sichere Verbindung zu {0} hergestellt werden (TLS): Das Zertifikat ist nicht vertrauenswürdig, oder der Server spricht kein HTTPS.</translation>
    </message>
    <message>
        <source>Could not connect to {0} in time: the server is down or unreachable.</source>
        <translation>Keine rechtzeitige Verbindung zu {0}: Der Server ist ausgefallen oder nicht erreichbar.</translation>
    </message>
    <message>
        <source>No data from the server for {0} s: it stopped answering.</source>
        <translation>Seit {0} s keine Daten vom Server: Er antwortet nicht mehr.</translation>
    </message>
    <message>
        <source>No data from the server: it stopped answering.</source>
        <translation>Keine Daten vom Server: Er antwortet nicht mehr.</translation>
    </message>
    <message>
        <source>The server name in {0} could not be found (DNS). Check the base URL.</source>
        <translation>Der Servername in {0} wurde nicht gefunden (DNS). Prüfen Sie die Basis-URL.</translation>
    </message>
    <message>
        <source>Nothing is listening at {0}: is the server running?</source>
        <translation>Unter {0} lauscht nichts: Läuft der Server?</translation>
    </message>
    <message>
        <source>The proxy refused or failed the connection.</source>
        <translation>Der Proxy hat die Verbindung abgelehnt oder sie ist fehlgeschlagen.</translation>
    </message>
    <message>
        <source>The connection to {0} was lost.</source>
        <translation>Die Verbindung zu {0} ist abgebrochen.</translation>
    </message>
    <message>
        <source>The server sent data that could not be read (not valid JSON).</source>
        <translation>Der Server hat Daten gesendet, die nicht gelesen werden konnten (kein gültiges JSON).</translation>
    </message>
    <message>
        <source>The server reported an error: {0}</source>
        <translation>Der Server hat einen Fehler gemeldet: {0}</translation>
    </message>
    <message>
        <source>Something unexpected went wrong: {0}. Details are in the log.</source>
        <translation>Etwas Unerwartetes ist schiefgegangen: {0}. Details stehen im Protokoll.</translation>
    </message>
    <message>
        <source>unknown error</source>
        <translation>unbekannter Fehler</translation>
    </message>
    <message>
        <source>The server reported an error while answering: {0}</source>
        <translation>Der Server hat beim Antworten einen Fehler gemeldet: {0}</translation>
    </message>
    <message>
        <source>The connection ended before the answer was complete (no finish signal from the server).</source>
        <translation>Die Verbindung endete, bevor die Antwort vollständig war (kein Abschlusssignal vom Server).</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <source>{0} ({1} characters)</source>
        <translation>{0} ({1} Zeichen)</translation>
    </message>
    <message>
        <source>Message composer</source>
        <translation>Nachrichteneingabe</translation>
    </message>
    <message>
        <source>Message  (Enter to send, Shift+Enter for a new line)</source>
        <translation>Nachricht  (Enter sendet, Umschalt+Enter für eine neue Zeile)</translation>
    </message>
    <message>
        <source>Large paste</source>
        <translation>Großes Einfügen</translation>
    </message>
    <message>
        <source>Large paste size</source>
        <translation>Größe des eingefügten Texts</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Senden</translation>
    </message>
    <message>
        <source>Send with the pasted text</source>
        <translation>Mit dem eingefügten Text senden</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Remove the pasted text</source>
        <translation>Eingefügten Text entfernen</translation>
    </message>
    <message>
        <source>Attach files</source>
        <translation>Dateien anhängen</translation>
    </message>
    <message>
        <source>Attach images, PDFs or text files</source>
        <translation>Bilder, PDFs oder Textdateien anhängen</translation>
    </message>
    <message>
        <source>Images, PDFs, Word and text (*.png *.jpg *.jpeg *.gif *.webp *.bmp *.pdf *.docx *.txt *.md *.csv *.json *.py *.js *.ts *.html *.css *.xml *.yaml *.yml *.log);;All files (*)</source>
        <translation>Bilder, PDFs, Word und Text (*.png *.jpg *.jpeg *.gif *.webp *.bmp *.pdf *.docx *.txt *.md *.csv *.json *.py *.js *.ts *.html *.css *.xml *.yaml *.yml *.log);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>The pasted text is {0}: too long to send (the limit is {1} characters). It was not added.</source>
        <translation>Der eingefügte Text ist {0} groß: zu lang zum Senden (die Grenze liegt bei {1} Zeichen). Er wurde nicht hinzugefügt.</translation>
    </message>
    <message>
        <source>Pasted text: {0}. It is sent before what you type below; it is not shown in the box, to keep the window quick.</source>
        <translation>Eingefügter Text: {0}. Er wird vor dem gesendet, was Sie unten eingeben; er wird nicht im Feld angezeigt, damit das Fenster flüssig bleibt.</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Schließen</translation>
    </message>
</context>
<context>
    <name>ConnectionTest</name>
    <message>
        <source>this URL does not look like an OpenAI-compatible API: check the path, it usually ends in /v1</source>
        <translation>diese URL sieht nicht nach einer OpenAI-kompatiblen API aus: Prüfen Sie den Pfad, er endet meist auf /v1</translation>
    </message>
    <message>
        <source>this URL answered with a web page, not an API</source>
        <translation>diese URL hat mit einer Webseite geantwortet, nicht mit einer API</translation>
    </message>
    <message>
        <source>Server reachable</source>
        <translation>Server erreichbar</translation>
    </message>
    <message>
        <source>API key accepted</source>
        <translation>API-Schlüssel akzeptiert</translation>
    </message>
    <message>
        <source>Model exists</source>
        <translation>Modell vorhanden</translation>
    </message>
    <message>
        <source>Completion works</source>
        <translation>Vervollständigung funktioniert</translation>
    </message>
    <message>
        <source>Streaming works</source>
        <translation>Streaming funktioniert</translation>
    </message>
    <message>
        <source>no answer</source>
        <translation>keine Antwort</translation>
    </message>
    <message>
        <source>the server did not list its models (HTTP {0}); type the model name</source>
        <translation>der Server hat seine Modelle nicht aufgelistet (HTTP {0}); geben Sie den Modellnamen ein</translation>
    </message>
    <message>
        <source>this URL redirects (HTTP {0}) to {1}; use the final address as the base URL</source>
        <translation>diese URL leitet weiter (HTTP {0}) nach {1}; verwenden Sie die endgültige Adresse als Basis-URL</translation>
    </message>
    <message>
        <source>{0} answered (HTTP {1})</source>
        <translation>{0} hat geantwortet (HTTP {1})</translation>
    </message>
    <message>
        <source>could not be checked: the server did not answer</source>
        <translation>konnte nicht geprüft werden: der Server hat nicht geantwortet</translation>
    </message>
    <message>
        <source>could not be checked: {0}</source>
        <translation>konnte nicht geprüft werden: {0}</translation>
    </message>
    <message>
        <source>no model is set: choose or type a model name</source>
        <translation>kein Modell festgelegt: wählen Sie ein Modell oder geben Sie einen Namen ein</translation>
    </message>
    <message>
        <source>the server lists the model &apos;{0}&apos;</source>
        <translation>der Server führt das Modell „{0}“</translation>
    </message>
    <message>
        <source> (it is not in the server&apos;s model list)</source>
        <translation> (es steht nicht in der Modellliste des Servers)</translation>
    </message>
    <message>
        <source>the server accepted the model &apos;{0}&apos;{1}</source>
        <translation>der Server hat das Modell „{0}“ akzeptiert{1}</translation>
    </message>
    <message>
        <source>the model &apos;{0}&apos; does not exist on this server</source>
        <translation>das Modell „{0}“ gibt es auf diesem Server nicht</translation>
    </message>
    <message>
        <source>; it offers: {0}</source>
        <translation>; verfügbar sind: {0}</translation>
    </message>
    <message>
        <source>could not be checked: see the completion below</source>
        <translation>konnte nicht geprüft werden: siehe Vervollständigung unten</translation>
    </message>
    <message>
        <source>the server answered, but not with a chat completion</source>
        <translation>der Server hat geantwortet, aber nicht mit einer Chat-Vervollständigung</translation>
    </message>
    <message>
        <source>a one-token request was answered</source>
        <translation>eine Anfrage mit einem Token wurde beantwortet</translation>
    </message>
    <message>
        <source>the streaming request returned no data</source>
        <translation>die Streaming-Anfrage lieferte keine Daten</translation>
    </message>
    <message>
        <source>first chunk after {0}</source>
        <translation>erster Abschnitt nach {0}</translation>
    </message>
    <message>
        <source>the API key was accepted</source>
        <translation>der API-Schlüssel wurde akzeptiert</translation>
    </message>
    <message>
        <source>the server did not ask for an API key</source>
        <translation>der Server hat keinen API-Schlüssel verlangt</translation>
    </message>
    <message>
        <source>{0} (HTTP {1}); a proxy, a login page or a wrong address may be in the way</source>
        <translation>{0} (HTTP {1}); möglicherweise ist ein Proxy, eine Anmeldeseite oder eine falsche Adresse im Weg</translation>
    </message>
    <message>
        <source>no streamed data within {0:g} s</source>
        <translation>keine gestreamten Daten innerhalb von {0:g} s</translation>
    </message>
    <message>
        <source>the stream contained data that is not JSON</source>
        <translation>der Stream enthielt Daten, die kein JSON sind</translation>
    </message>
    <message>
        <source>the stream reported an error: {0}</source>
        <translation>der Stream hat einen Fehler gemeldet: {0}</translation>
    </message>
    <message>
        <source>this server needs an API key, and none is set (HTTP {0})</source>
        <translation>dieser Server braucht einen API-Schlüssel, und es ist keiner festgelegt (HTTP {0})</translation>
    </message>
    <message>
        <source>the API key was rejected (HTTP {0})</source>
        <translation>der API-Schlüssel wurde abgelehnt (HTTP {0})</translation>
    </message>
    <message>
        <source>the API key was rejected (HTTP {0}){1}</source>
        <translation>der API-Schlüssel wurde abgelehnt (HTTP {0}){1}</translation>
    </message>
    <message>
        <source>the server answered &apos;not found&apos; (HTTP 404){0}</source>
        <translation>der Server hat mit „nicht gefunden“ geantwortet (HTTP 404){0}</translation>
    </message>
    <message>
        <source>; it asks to wait {0} s</source>
        <translation>; er bittet, {0} s zu warten</translation>
    </message>
    <message>
        <source>the server is rate limiting requests (HTTP 429){0}{1}</source>
        <translation>der Server begrenzt die Anfragen (HTTP 429){0}{1}</translation>
    </message>
    <message>
        <source>the server reported an error (HTTP {0}){1}</source>
        <translation>der Server hat einen Fehler gemeldet (HTTP {0}){1}</translation>
    </message>
    <message>
        <source>the server answered with something that is not an API response</source>
        <translation>der Server hat mit etwas geantwortet, das keine API-Antwort ist</translation>
    </message>
    <message>
        <source>the server refused the request (HTTP {0}){1}</source>
        <translation>der Server hat die Anfrage abgelehnt (HTTP {0}){1}</translation>
    </message>
    <message>
        <source> (via the proxy {0})</source>
        <translation> (über den Proxy {0})</translation>
    </message>
    <message>
        <source>the proxy {0} refused or failed the connection</source>
        <translation>der Proxy {0} hat die Verbindung abgelehnt, oder sie ist fehlgeschlagen</translation>
    </message>
    <message>
        <source>the host name &apos;{0}&apos; could not be found (DNS){1}</source>
        <translation>der Hostname „{0}“ wurde nicht gefunden (DNS){1}</translation>
    </message>
    <message>
        <source>the TLS certificate of {0} could not be verified{1}</source>
        <translation>das TLS-Zertifikat von {0} konnte nicht überprüft werden{1}</translation>
    </message>
    <message>
        <source>the TLS (https) handshake with {0} failed; is it really https?</source>
        <translation>der TLS-Handshake (https) mit {0} ist fehlgeschlagen; ist es wirklich https?</translation>
    </message>
    <message>
        <source>nothing is listening at {0}{1}</source>
        <translation>unter {0} lauscht nichts{1}</translation>
    </message>
    <message>
        <source>no connection to {0} within {1:g} s{2}</source>
        <translation>keine Verbindung zu {0} innerhalb von {1:g} s{2}</translation>
    </message>
    <message>
        <source>the server at {0} accepted the connection but did not answer within {1:g} s</source>
        <translation>der Server unter {0} hat die Verbindung angenommen, aber nicht innerhalb von {1:g} s geantwortet</translation>
    </message>
    <message>
        <source>the server at {0} closed the connection without an HTTP answer</source>
        <translation>der Server unter {0} hat die Verbindung ohne HTTP-Antwort geschlossen</translation>
    </message>
    <message>
        <source>the connection to {0} was reset</source>
        <translation>die Verbindung zu {0} wurde zurückgesetzt</translation>
    </message>
    <message>
        <source>could not connect to {0}{1}{2}</source>
        <translation>Verbindung zu {0} nicht möglich{1}{2}</translation>
    </message>
    <message>
        <source>could not connect to {0} ({1}){2}</source>
        <translation>Verbindung zu {0} nicht möglich ({1}){2}</translation>
    </message>
    <message numerus="yes">
        <source>{0} and %n more</source>
        <translation>
            <numerusform>{0} und %n weiteres</numerusform>
            <numerusform>{0} und %n weitere</numerusform>
        </translation>
    </message>
    <message>
        <source>{0} ms</source>
        <translation>{0} ms</translation>
    </message>
    <message>
        <source>{0} s</source>
        <translation>{0} s</translation>
    </message>
</context>
<context>
    <name>ConnectionTestPanel</name>
    <message>
        <source>Test connection</source>
        <translation>Verbindung testen</translation>
    </message>
    <message>
        <source>Cancel test</source>
        <translation>Test abbrechen</translation>
    </message>
    <message>
        <source>Connection test status</source>
        <translation>Status des Verbindungstests</translation>
    </message>
    <message>
        <source>Untick “This server needs an API key”</source>
        <translation>„Dieser Server braucht einen API-Schlüssel“ abwählen</translation>
    </message>
    <message>
        <source>This server needs no API key</source>
        <translation>Dieser Server braucht keinen API-Schlüssel</translation>
    </message>
    <message>
        <source>Connection test results</source>
        <translation>Ergebnisse des Verbindungstests</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>Wird getestet…</translation>
    </message>
    <message>
        <source>✓ All checks passed.</source>
        <translation>✓ Alle Prüfungen bestanden.</translation>
    </message>
    <message>
        <source>✗ The server did not ask for an API key, but this profile needs one and has none, so Send would fail. If the server needs no key, untick “This server needs an API key”.</source>
        <translation>✗ Der Server hat keinen API-Schlüssel verlangt, aber dieses Profil braucht einen und hat keinen, daher würde Senden fehlschlagen. Wenn der Server keinen Schlüssel braucht, wählen Sie „Dieser Server braucht einen API-Schlüssel“ ab.</translation>
    </message>
    <message>
        <source>✗ Send would fail: {0}</source>
        <translation>✗ Senden würde fehlschlagen: {0}</translation>
    </message>
    <message>
        <source>“This server needs an API key” is unticked: press OK to save.</source>
        <translation>„Dieser Server braucht einen API-Schlüssel“ ist abgewählt: Zum Speichern OK drücken.</translation>
    </message>
    <message>
        <source>The test stopped unexpectedly: {0}</source>
        <translation>Der Test wurde unerwartet beendet: {0}</translation>
    </message>
    <message>
        <source>Test cancelled.</source>
        <translation>Test abgebrochen.</translation>
    </message>
    <message>
        <source>{0} ms</source>
        <translation>{0} ms</translation>
    </message>
    <message>
        <source>{0} s</source>
        <translation>{0} s</translation>
    </message>
</context>
<context>
    <name>ConversationFileActions</name>
    <message>
        <source>Markdown (*.md);;All files (*)</source>
        <translation>Markdown (*.md);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>JSON (*.json);;All files (*)</source>
        <translation>JSON (*.json);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Conversations (*.json);;All files (*)</source>
        <translation>Unterhaltungen (*.json);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Conversation</source>
        <translation>Unterhaltung</translation>
    </message>
    <message>
        <source>Export conversation as &amp;Markdown…</source>
        <translation>Unterhaltung als &amp;Markdown exportieren…</translation>
    </message>
    <message>
        <source>Export conversation as &amp;JSON…</source>
        <translation>Unterhaltung als &amp;JSON exportieren…</translation>
    </message>
    <message>
        <source>&amp;Import conversations…</source>
        <translation>Unterhaltungen &amp;importieren…</translation>
    </message>
    <message>
        <source>Add conversations from a file: this app&apos;s JSON export or a ChatGPT conversations.json</source>
        <translation>Unterhaltungen aus einer Datei hinzufügen: dem JSON-Export dieser App oder einer conversations.json von ChatGPT</translation>
    </message>
    <message>
        <source>Export conversation as Markdown</source>
        <translation>Unterhaltung als Markdown exportieren</translation>
    </message>
    <message>
        <source>Export conversation as JSON</source>
        <translation>Unterhaltung als JSON exportieren</translation>
    </message>
    <message>
        <source>There is nothing to export yet: this conversation is empty.</source>
        <translation>Es gibt noch nichts zu exportieren: Diese Unterhaltung ist leer.</translation>
    </message>
    <message>
        <source>Could not save {0}</source>
        <translation>{0} konnte nicht gespeichert werden</translation>
    </message>
    <message>
        <source>Importing needs the history, which is not available.</source>
        <translation>Zum Importieren wird der Verlauf benötigt, der nicht verfügbar ist.</translation>
    </message>
    <message>
        <source>Import conversations</source>
        <translation>Unterhaltungen importieren</translation>
    </message>
    <message>
        <source>No conversations were found in {0}.</source>
        <translation>In {0} wurden keine Unterhaltungen gefunden.</translation>
    </message>
    <message numerus="yes">
        <source>Imported %n conversation(s) from {0}.</source>
        <translation>
            <numerusform>%n Unterhaltung aus {0} importiert.</numerusform>
            <numerusform>%n Unterhaltungen aus {0} importiert.</numerusform>
        </translation>
    </message>
    <message>
        <source>Could not import {0}</source>
        <translation>{0} konnte nicht importiert werden</translation>
    </message>
    <message>
        <source>An export or import is still running: wait for it to end.</source>
        <translation>Ein Export oder Import läuft noch: Warten Sie, bis er fertig ist.</translation>
    </message>
    <message>
        <source>{0}: something unexpected went wrong ({1}). Details are in the log.</source>
        <translation>{0}: Etwas Unerwartetes ist schiefgegangen ({1}). Details stehen im Protokoll.</translation>
    </message>
</context>
<context>
    <name>ConversationList</name>
    <message>
        <source>Untitled conversation</source>
        <translation>Unbenannte Unterhaltung</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Heute</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>Gestern</translation>
    </message>
    <message>
        <source>Previous 7 days</source>
        <translation>Letzte 7 Tage</translation>
    </message>
    <message>
        <source>MMMM yyyy</source>
        <comment>date format</comment>
        <translation>MMMM yyyy</translation>
    </message>
</context>
<context>
    <name>ConversationListModel</name>
    <message>
        <source>Last active {0}</source>
        <translation>Zuletzt aktiv {0}</translation>
    </message>
</context>
<context>
    <name>ConversationSettingsPanel</name>
    <message>
        <source>Conversation settings</source>
        <translation>Einstellungen der Unterhaltung</translation>
    </message>
    <message>
        <source>Conversation model</source>
        <translation>Modell der Unterhaltung</translation>
    </message>
    <message>
        <source>Conversation temperature</source>
        <translation>Temperatur der Unterhaltung</translation>
    </message>
    <message>
        <source>the server&apos;s default</source>
        <translation>Standard des Servers</translation>
    </message>
    <message>
        <source>Conversation system prompt</source>
        <translation>Systemprompt der Unterhaltung</translation>
    </message>
    <message>
        <source>No system prompt</source>
        <translation>Kein Systemprompt</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>Übernehmen</translation>
    </message>
    <message>
        <source>Use the assistant&apos;s</source>
        <translation>Die des Assistenten verwenden</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>Temperatur</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>Systemprompt</translation>
    </message>
    <message>
        <source>This conversation only — from the assistant “{name}”</source>
        <translation>Nur diese Unterhaltung – ausgehend vom Assistenten „{name}“</translation>
    </message>
    <message>
        <source>Temperature must be a number from 0 to 2.</source>
        <translation>Die Temperatur muss eine Zahl von 0 bis 2 sein.</translation>
    </message>
</context>
<context>
    <name>ConversationSidebar</name>
    <message>
        <source>Search conversations</source>
        <translation>Unterhaltungen durchsuchen</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Suchen</translation>
    </message>
    <message>
        <source>New</source>
        <translation>Neu</translation>
    </message>
    <message>
        <source>New conversation</source>
        <translation>Neue Unterhaltung</translation>
    </message>
    <message>
        <source>Conversations</source>
        <translation>Unterhaltungen</translation>
    </message>
    <message>
        <source>Search results</source>
        <translation>Suchergebnisse</translation>
    </message>
    <message>
        <source>Conversation deleted</source>
        <translation>Unterhaltung gelöscht</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Rückgängig</translation>
    </message>
    <message>
        <source>Undo delete</source>
        <translation>Löschen rückgängig machen</translation>
    </message>
    <message>
        <source>Undo delete (Ctrl+Z)</source>
        <translation>Löschen rückgängig machen (Strg+Z)</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>Umbenennen</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Deleted “%1”. Undo within %2 s (Ctrl+Z).</source>
        <translation>„%1“ gelöscht. Innerhalb von %2 s rückgängig machen (Strg+Z).</translation>
    </message>
    <message>
        <source>Export as Markdown…</source>
        <translation>Als Markdown exportieren…</translation>
    </message>
    <message>
        <source>No conversations match “{0}”.</source>
        <translation>Keine Unterhaltung passt zu „{0}“.</translation>
    </message>
</context>
<context>
    <name>EditBar</name>
    <message>
        <source>Editing a message</source>
        <translation>Nachricht wird bearbeitet</translation>
    </message>
    <message>
        <source>Editing your message: sending adds it as a new version. The one before stays, with its answer (switch with ‹ ›).</source>
        <translation>Sie bearbeiten Ihre Nachricht: Senden fügt sie als neue Version hinzu. Die vorherige bleibt mit ihrer Antwort erhalten (wechseln mit ‹ ›).</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Cancel edit</source>
        <translation>Bearbeiten abbrechen</translation>
    </message>
    <message>
        <source>Keep the conversation as it is (Esc)</source>
        <translation>Die Unterhaltung so lassen, wie sie ist (Esc)</translation>
    </message>
</context>
<context>
    <name>Export</name>
    <message>
        <source>This is not a {0} export.</source>
        <translation>Dies ist kein Export von {0}.</translation>
    </message>
    <message>
        <source>The export has no format version.</source>
        <translation>Der Export hat keine Formatversion.</translation>
    </message>
    <message>
        <source>This export was written by a newer version of {0} (format {1}); update the app to import it.</source>
        <translation>Dieser Export wurde von einer neueren Version von {0} geschrieben (Format {1}); aktualisieren Sie die App, um ihn zu importieren.</translation>
    </message>
    <message>
        <source>The file is not valid JSON ({0}, line {1}).</source>
        <translation>Die Datei ist kein gültiges JSON ({0}, Zeile {1}).</translation>
    </message>
    <message>
        <source>This is not a ChatGPT conversations.json (expected a list).</source>
        <translation>Dies ist keine conversations.json von ChatGPT (eine Liste erwartet).</translation>
    </message>
    <message>
        <source>This is not a ChatGPT conversations.json (no “mapping”).</source>
        <translation>Dies ist keine conversations.json von ChatGPT (kein „mapping“).</translation>
    </message>
    <message>
        <source>Imported conversation</source>
        <translation>Importierte Unterhaltung</translation>
    </message>
    <message>
        <source>The file is not UTF-8 text.</source>
        <translation>Die Datei ist kein UTF-8-Text.</translation>
    </message>
    <message>
        <source>The file could not be read: {0}.</source>
        <translation>Die Datei konnte nicht gelesen werden: {0}.</translation>
    </message>
    <message>
        <source>You</source>
        <translation>Sie</translation>
    </message>
    <message>
        <source>Assistant</source>
        <translation>Assistent</translation>
    </message>
    <message>
        <source>System</source>
        <translation>System</translation>
    </message>
    <message>
        <source>Tool result</source>
        <translation>Werkzeugergebnis</translation>
    </message>
    <message>
        <source>Stopped by the user.</source>
        <translation>Vom Benutzer angehalten.</translation>
    </message>
    <message>
        <source>Interrupted: the app closed while this reply was arriving.</source>
        <translation>Unterbrochen: Die App wurde geschlossen, während diese Antwort eintraf.</translation>
    </message>
    <message>
        <source>Still arriving when exported.</source>
        <translation>Beim Exportieren noch nicht vollständig.</translation>
    </message>
    <message>
        <source>Untitled conversation</source>
        <translation>Unbenannte Unterhaltung</translation>
    </message>
    <message>
        <source>Exported from {0}</source>
        <translation>Exportiert aus {0}</translation>
    </message>
    <message>
        <source>model {0}</source>
        <translation>Modell {0}</translation>
    </message>
    <message>
        <source>started {0}</source>
        <translation>begonnen {0}</translation>
    </message>
    <message>
        <source>Refused: {0}</source>
        <translation>Abgelehnt: {0}</translation>
    </message>
    <message>
        <source>Tool call</source>
        <translation>Werkzeugaufruf</translation>
    </message>
    <message>
        <source>Failed: {0}</source>
        <translation>Fehlgeschlagen: {0}</translation>
    </message>
    <message>
        <source>Cut short: the reply reached the token limit.</source>
        <translation>Abgeschnitten: Die Antwort hat das Token-Limit erreicht.</translation>
    </message>
</context>
<context>
    <name>FirstRunPage</name>
    <message>
        <source>No profiles</source>
        <translation>Keine Profile</translation>
    </message>
    <message>
        <source>No provider yet. Pick one to set it up: OpenAI, a local server such as Ollama or LM Studio, or any OpenAI-compatible service (Custom).</source>
        <translation>Noch kein Anbieter. Wählen Sie einen zum Einrichten: OpenAI, einen lokalen Server wie Ollama oder LM Studio oder einen beliebigen OpenAI-kompatiblen Dienst (Custom).</translation>
    </message>
    <message>
        <source>Local servers</source>
        <translation>Lokale Server</translation>
    </message>
    <message>
        <source>Add {0}</source>
        <translation>{0} hinzufügen</translation>
    </message>
    <message>
        <source>Looking for servers running on this computer…</source>
        <translation>Suche nach Servern, die auf diesem Computer laufen…</translation>
    </message>
    <message>
        <source>Found running on this computer:</source>
        <translation>Auf diesem Computer gefunden:</translation>
    </message>
    <message>
        <source>No local server found running.</source>
        <translation>Kein laufender lokaler Server gefunden.</translation>
    </message>
    <message>
        <source>{0} at {1}:{2}</source>
        <translation>{0} auf {1}:{2}</translation>
    </message>
</context>
<context>
    <name>JsonImportDialog</name>
    <message>
        <source>Import MCP servers</source>
        <translation>MCP-Server importieren</translation>
    </message>
    <message>
        <source>From file…</source>
        <translation>Aus Datei…</translation>
    </message>
    <message>
        <source>Paste the JSON of Claude Desktop, Cursor or LM Studio:</source>
        <translation>Fügen Sie das JSON von Claude Desktop, Cursor oder LM Studio ein:</translation>
    </message>
    <message>
        <source>MCP configuration</source>
        <translation>MCP-Konfiguration</translation>
    </message>
    <message>
        <source>JSON (*.json);;*</source>
        <translation>JSON (*.json);;*</translation>
    </message>
    <message>
        <source>Could not read {path}: {why}</source>
        <translation>{path} konnte nicht gelesen werden: {why}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Send</source>
        <translation>Senden</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Stopp</translation>
    </message>
    <message>
        <source>Stop the answer (Esc)</source>
        <translation>Antwort anhalten (Esc)</translation>
    </message>
    <message>
        <source>Notice</source>
        <translation>Hinweis</translation>
    </message>
    <message>
        <source>Reply status</source>
        <translation>Antwortstatus</translation>
    </message>
    <message>
        <source>&amp;New conversation</source>
        <translation>&amp;Neue Unterhaltung</translation>
    </message>
    <message>
        <source>&amp;Stop answer</source>
        <translation>Antwort an&amp;halten</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Einstellungen…</translation>
    </message>
    <message>
        <source>&amp;Copy conversation as Markdown</source>
        <translation>Unterhaltung als Markdown &amp;kopieren</translation>
    </message>
    <message>
        <source>&amp;Search conversations</source>
        <translation>Unterhaltungen durch&amp;suchen</translation>
    </message>
    <message>
        <source>&amp;About</source>
        <translation>Ü&amp;ber</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>Keep running in the &amp;tray when closed</source>
        <translation>Beim Schließen im &amp;Infobereich weiterlaufen</translation>
    </message>
    <message>
        <source>Show &amp;sidebar</source>
        <translation>&amp;Seitenleiste anzeigen</translation>
    </message>
    <message>
        <source>Only the last reply can be retried or continued. To ask again for an earlier reply, use its Regenerate button (a new version of it).</source>
        <translation>Nur die letzte Antwort kann wiederholt oder fortgesetzt werden. Um eine frühere Antwort neu anzufordern, verwenden Sie ihre Schaltfläche „Neu erzeugen“ (eine neue Version davon).</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Chat</source>
        <translation>&amp;Chat</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>This conversation&apos;s own model, temperature and system prompt (Ctrl+Shift+E)</source>
        <translation>Eigenes Modell, eigene Temperatur und eigener Systemprompt dieser Unterhaltung (Strg+Umschalt+E)</translation>
    </message>
    <message>
        <source>Assistant</source>
        <translation>Assistent</translation>
    </message>
    <message>
        <source>The assistant of this conversation (or of the next new one)</source>
        <translation>Der Assistent dieser Unterhaltung (oder der nächsten neuen)</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Bearbeiten…</translation>
    </message>
    <message>
        <source>Edit conversation settings</source>
        <translation>Einstellungen der Unterhaltung bearbeiten</translation>
    </message>
    <message>
        <source>Edited from</source>
        <translation>Geändert ausgehend von</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>Anbieter</translation>
    </message>
    <message>
        <source>The provider the next message goes to</source>
        <translation>Der Anbieter, an den die nächste Nachricht geht</translation>
    </message>
    <message>
        <source>An attachment is still being read: send it in a moment.</source>
        <translation>Ein Anhang wird noch gelesen: Senden Sie gleich.</translation>
    </message>
    <message>
        <source>An answer is still coming: stop it (Esc) or wait for it to end.</source>
        <translation>Eine Antwort kommt noch: Halten Sie sie an (Esc) oder warten Sie, bis sie fertig ist.</translation>
    </message>
    <message>
        <source>Too long for the model</source>
        <translation>Zu lang für das Modell</translation>
    </message>
    <message>
        <source>With the attached documents, this conversation comes to about {0} tokens: more than the {1} tokens {2} can take.</source>
        <translation>Mit den angehängten Dokumenten umfasst diese Unterhaltung etwa {0} Tokens: mehr als die {1} Tokens, die {2} verarbeiten kann.</translation>
    </message>
    <message>
        <source>the model</source>
        <translation>das Modell</translation>
    </message>
    <message>
        <source>The server may refuse it, or the model may see only part of it. Remove a file (×) or send it anyway.</source>
        <translation>Der Server lehnt sie möglicherweise ab, oder das Modell sieht nur einen Teil davon. Entfernen Sie eine Datei (×) oder senden Sie trotzdem.</translation>
    </message>
    <message>
        <source>Send anyway</source>
        <translation>Trotzdem senden</translation>
    </message>
    <message>
        <source>Not sent: remove a file (×) to make it shorter, or send anyway.</source>
        <translation>Nicht gesendet: Entfernen Sie eine Datei (×), um sie zu kürzen, oder senden Sie trotzdem.</translation>
    </message>
    <message>
        <source>No provider: open Settings</source>
        <translation>Kein Anbieter: Einstellungen öffnen</translation>
    </message>
    <message>
        <source>Answers with the provider&apos;s settings</source>
        <translation>Antwortet mit den Einstellungen des Anbieters</translation>
    </message>
    <message>
        <source>edited from “{0}”</source>
        <translation>geändert ausgehend von „{0}“</translation>
    </message>
    <message>
        <source>Exported to {0}.</source>
        <translation>Exportiert nach {0}.</translation>
    </message>
    <message>
        <source>Show in folder</source>
        <translation>Im Ordner anzeigen</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Kopiert</translation>
    </message>
    <message>
        <source>Waiting for first token…</source>
        <translation>Warten auf das erste Token…</translation>
    </message>
    <message>
        <source>Receiving… (Esc stops)</source>
        <translation>Empfange… (Esc hält an)</translation>
    </message>
    <message>
        <source>Waiting for first token… {0} s</source>
        <translation>Warten auf das erste Token… {0} s</translation>
    </message>
    <message>
        <source>A {0}: link in a message was not opened: only web (http, https) and mail links are opened from messages.</source>
        <translation>Ein {0}:-Link in einer Nachricht wurde nicht geöffnet: Aus Nachrichten werden nur Web-Links (http, https) und E-Mail-Links geöffnet.</translation>
    </message>
    <message>
        <source>A link without a scheme in a message was not opened: only web (http, https) and mail links are opened from messages.</source>
        <translation>Ein Link ohne Schema in einer Nachricht wurde nicht geöffnet: Aus Nachrichten werden nur Web-Links (http, https) und E-Mail-Links geöffnet.</translation>
    </message>
</context>
<context>
    <name>McpConfig</name>
    <message>
        <source>Give the server a name.</source>
        <translation>Geben Sie dem Server einen Namen.</translation>
    </message>
    <message>
        <source>Give either a command (a local server) or a URL (a remote one).</source>
        <translation>Geben Sie entweder einen Befehl (ein lokaler Server) oder eine URL (ein entfernter Server) an.</translation>
    </message>
    <message>
        <source>The server URL must start with http:// or https://.</source>
        <translation>Die Server-URL muss mit http:// oder https:// beginnen.</translation>
    </message>
    <message>
        <source>The call timeout must be a positive number of seconds.</source>
        <translation>Die Zeitbegrenzung für Aufrufe muss eine positive Anzahl Sekunden sein.</translation>
    </message>
    <message>
        <source>This is not valid JSON ({0}, line {1}).</source>
        <translation>Dies ist kein gültiges JSON ({0}, Zeile {1}).</translation>
    </message>
    <message>
        <source>Expected a JSON object like {&quot;mcpServers&quot;: {...}}.</source>
        <translation>Erwartet wurde ein JSON-Objekt wie {&quot;mcpServers&quot;: {...}}.</translation>
    </message>
    <message>
        <source>No servers found: expected {&quot;mcpServers&quot;: {&quot;name&quot;: {...}}}.</source>
        <translation>Keine Server gefunden: erwartet wurde {&quot;mcpServers&quot;: {&quot;name&quot;: {...}}}.</translation>
    </message>
    <message>
        <source>Server {0!r} is not a JSON object.</source>
        <translation>Server {0!r} ist kein JSON-Objekt.</translation>
    </message>
    <message>
        <source>Server {0!r}: {1!r} must be a list of strings.</source>
        <translation>Server {0!r}: {1!r} muss eine Liste von Zeichenketten sein.</translation>
    </message>
    <message>
        <source>Server {0!r}: {1!r} must be an object.</source>
        <translation>Server {0!r}: {1!r} muss ein Objekt sein.</translation>
    </message>
    <message>
        <source>Server {0!r}: &apos;command&apos; and &apos;url&apos; must be text.</source>
        <translation>Server {0!r}: „command“ und „url“ müssen Text sein.</translation>
    </message>
</context>
<context>
    <name>McpManager</name>
    <message>
        <source>{0} did not answer within {1:.0f} s.</source>
        <translation>{0} hat nicht innerhalb von {1:.0f} s geantwortet.</translation>
    </message>
    <message>
        <source>{0}: the command {1!r} was not found (not on the PATH of your login shell either). Give its full path, or install it.</source>
        <translation>{0}: Der Befehl {1!r} wurde nicht gefunden (auch nicht im PATH Ihrer Login-Shell). Geben Sie seinen vollständigen Pfad an oder installieren Sie ihn.</translation>
    </message>
    <message>
        <source>{0}: the command {1!r} cannot be run (permission).</source>
        <translation>{0}: Der Befehl {1!r} kann nicht ausgeführt werden (Berechtigung).</translation>
    </message>
    <message>
        <source>{0} could not be started or reached ({1}).</source>
        <translation>{0} konnte nicht gestartet oder erreicht werden ({1}).</translation>
    </message>
</context>
<context>
    <name>McpServersPage</name>
    <message>
        <source>MCP servers</source>
        <translation>MCP-Server</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Hinzufügen</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Import JSON…</source>
        <translation>JSON importieren…</translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation>Aktiviert</translation>
    </message>
    <message>
        <source>NAME=value (one a line; tokens go to the keyring)</source>
        <translation>NAME=Wert (einer pro Zeile; Tokens kommen in den Schlüsselbund)</translation>
    </message>
    <message>
        <source>Ask before every call</source>
        <translation>Vor jedem Aufruf fragen</translation>
    </message>
    <message>
        <source>Allow all calls</source>
        <translation>Alle Aufrufe erlauben</translation>
    </message>
    <message>
        <source>Revoke</source>
        <translation>Widerrufen</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>Testen</translation>
    </message>
    <message>
        <source>MCP test result</source>
        <translation>MCP-Testergebnis</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Command</source>
        <translation>Befehl</translation>
    </message>
    <message>
        <source>Arguments</source>
        <translation>Argumente</translation>
    </message>
    <message>
        <source>Environment</source>
        <translation>Umgebung</translation>
    </message>
    <message>
        <source>or URL</source>
        <translation>oder URL</translation>
    </message>
    <message>
        <source>Headers</source>
        <translation>Header</translation>
    </message>
    <message>
        <source>Call timeout</source>
        <translation>Zeitlimit pro Aufruf</translation>
    </message>
    <message>
        <source>Approval</source>
        <translation>Freigabe</translation>
    </message>
    <message>
        <source>Always allowed</source>
        <translation>Immer erlaubt</translation>
    </message>
    <message>
        <source>New server</source>
        <translation>Neuer Server</translation>
    </message>
    <message>
        <source>Tools:</source>
        <translation>Werkzeuge:</translation>
    </message>
    <message>
        <source>Last lines the server wrote (stderr):</source>
        <translation>Letzte Zeilen, die der Server geschrieben hat (stderr):</translation>
    </message>
    <message>
        <source>Connecting to {name}…</source>
        <translation>Verbinde mit {name}…</translation>
    </message>
    <message>
        <source>Connected.</source>
        <translation>Verbunden.</translation>
    </message>
</context>
<context>
    <name>PlaceholderForm</name>
    <message>
        <source>Prompt placeholders</source>
        <translation>Platzhalter des Prompts</translation>
    </message>
    <message>
        <source>Fill in “{name}”</source>
        <translation>„{name}“ ausfüllen</translation>
    </message>
    <message>
        <source>Insert</source>
        <translation>Einfügen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
</context>
<context>
    <name>ProfileFormView</name>
    <message>
        <source>OpenAI-compatible</source>
        <translation>OpenAI-kompatibel</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Base URL</source>
        <translation>Basis-URL</translation>
    </message>
    <message>
        <source>e.g. http://localhost:11434/v1</source>
        <translation>z. B. http://localhost:11434/v1</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>Temperatur</translation>
    </message>
    <message>
        <source>server default (0–2)</source>
        <translation>Serverstandard (0–2)</translation>
    </message>
    <message>
        <source>Max tokens</source>
        <translation>Max. Tokens</translation>
    </message>
    <message>
        <source>server default</source>
        <translation>Serverstandard</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>Systemprompt</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>optional</translation>
    </message>
    <message>
        <source>Proxy</source>
        <translation>Proxy</translation>
    </message>
    <message>
        <source>system proxy settings (or http://, https://, socks5://host:port)</source>
        <translation>Proxy-Einstellungen des Systems (oder http://, https://, socks5://host:port)</translation>
    </message>
    <message>
        <source>Proxy password</source>
        <translation>Proxy-Passwort</translation>
    </message>
    <message>
        <source>only if the proxy needs one</source>
        <translation>nur falls der Proxy eines braucht</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>type a model name, or load the server&apos;s list</source>
        <translation>Modellnamen eingeben oder die Liste des Servers laden</translation>
    </message>
    <message>
        <source>Load models</source>
        <translation>Modelle laden</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Cancel loading models</source>
        <translation>Laden der Modelle abbrechen</translation>
    </message>
    <message>
        <source>Model list status</source>
        <translation>Status der Modellliste</translation>
    </message>
    <message>
        <source>The model accepts images</source>
        <translation>Das Modell nimmt Bilder an</translation>
    </message>
    <message>
        <source>Attached images are sent to the model. Turn off for a text-only model: a message with images is then kept in the composer, not sent.</source>
        <translation>Angehängte Bilder werden an das Modell gesendet. Für ein reines Textmodell ausschalten: Eine Nachricht mit Bildern bleibt dann in der Eingabe und wird nicht gesendet.</translation>
    </message>
    <message>
        <source>This server needs an API key</source>
        <translation>Dieser Server braucht einen API-Schlüssel</translation>
    </message>
    <message>
        <source>Needs an API key</source>
        <translation>Braucht einen API-Schlüssel</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API-Schlüssel</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Anzeigen</translation>
    </message>
    <message>
        <source>Show API key</source>
        <translation>API-Schlüssel anzeigen</translation>
    </message>
    <message>
        <source>API key source</source>
        <translation>Herkunft des API-Schlüssels</translation>
    </message>
    <message>
        <source>Keyring problem</source>
        <translation>Problem mit dem Schlüsselbund</translation>
    </message>
    <message>
        <source>Use this key for this session only</source>
        <translation>Diesen Schlüssel nur für diese Sitzung verwenden</translation>
    </message>
    <message>
        <source>{0} error</source>
        <translation>Fehler bei {0}</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>Verbergen</translation>
    </message>
    <message>
        <source>Hide API key</source>
        <translation>API-Schlüssel verbergen</translation>
    </message>
    <message>
        <source>You can still use a key now: tick “Use this key for this session only” (it is kept in memory and forgotten when you quit).</source>
        <translation>Sie können trotzdem jetzt einen Schlüssel verwenden: Wählen Sie „Diesen Schlüssel nur für diese Sitzung verwenden“ (er wird im Speicher gehalten und beim Beenden vergessen).</translation>
    </message>
    <message>
        <source>Loading models…</source>
        <translation>Modelle werden geladen…</translation>
    </message>
    <message>
        <source>1 model available: type to search.</source>
        <translation>1 Modell verfügbar: Tippen zum Suchen.</translation>
    </message>
    <message numerus="yes">
        <source>%n models available: type to search.</source>
        <translation>
            <numerusform>%n Modell verfügbar: Tippen zum Suchen.</numerusform>
            <numerusform>%n Modelle verfügbar: Tippen zum Suchen.</numerusform>
        </translation>
    </message>
    <message>
        <source>The server lists no models; type the model name.</source>
        <translation>Der Server führt keine Modelle; geben Sie den Modellnamen ein.</translation>
    </message>
    <message>
        <source>Could not load models: {0}.</source>
        <translation>Modelle konnten nicht geladen werden: {0}.</translation>
    </message>
    <message>
        <source>Loading models was cancelled.</source>
        <translation>Das Laden der Modelle wurde abgebrochen.</translation>
    </message>
</context>
<context>
    <name>PromptPicker</name>
    <message>
        <source>Prompts</source>
        <translation>Prompts</translation>
    </message>
    <message>
        <source>Prompt list</source>
        <translation>Prompt-Liste</translation>
    </message>
    <message>
        <source>↑↓ to move, Enter to insert, Esc to close</source>
        <translation>↑↓ zum Bewegen, Enter zum Einfügen, Esc zum Schließen</translation>
    </message>
</context>
<context>
    <name>Prompts</name>
    <message>
        <source>a prompt</source>
        <translation>ein Prompt</translation>
    </message>
    <message>
        <source>{0} is not an object.</source>
        <translation>{0} ist kein Objekt.</translation>
    </message>
    <message>
        <source>{0} has no name.</source>
        <translation>{0} hat keinen Namen.</translation>
    </message>
    <message>
        <source>{0} (“{1}”) has no text.</source>
        <translation>{0} („{1}“) hat keinen Text.</translation>
    </message>
    <message>
        <source>{0} (“{1}”): “id” should be text.</source>
        <translation>{0} („{1}“): „id“ muss Text sein.</translation>
    </message>
    <message>
        <source>This is not a JSON file ({0}).</source>
        <translation>Dies ist keine JSON-Datei ({0}).</translation>
    </message>
    <message>
        <source>This file holds no prompts (no “prompts” list).</source>
        <translation>Diese Datei enthält keine Prompts (keine „prompts“-Liste).</translation>
    </message>
    <message>
        <source>Prompt {0}</source>
        <translation>Prompt {0}</translation>
    </message>
</context>
<context>
    <name>PromptsPage</name>
    <message>
        <source>Prompts</source>
        <translation>Prompts</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Hinzufügen</translation>
    </message>
    <message>
        <source>Add prompt</source>
        <translation>Prompt hinzufügen</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Delete prompt</source>
        <translation>Prompt löschen</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>Importieren…</translation>
    </message>
    <message>
        <source>Import prompts</source>
        <translation>Prompts importieren</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Exportieren…</translation>
    </message>
    <message>
        <source>Export prompts</source>
        <translation>Prompts exportieren</translation>
    </message>
    <message>
        <source>Type / in the message box to pick a prompt (arrows and Enter, Esc closes). Write {{name}} where something is to be filled in, e.g. “Translate {{text}} into {{language}}”: choosing the prompt asks for each one.</source>
        <translation>Tippen Sie / in das Nachrichtenfeld, um einen Prompt zu wählen (Pfeiltasten und Enter, Esc schließt). Schreiben Sie {{name}}, wo etwas einzusetzen ist, z. B. „Übersetze {{text}} nach {{language}}“: Beim Wählen des Prompts wird nach jedem gefragt.</translation>
    </message>
    <message>
        <source>Prompt name</source>
        <translation>Name des Prompts</translation>
    </message>
    <message>
        <source>Prompt text</source>
        <translation>Text des Prompts</translation>
    </message>
    <message>
        <source>Prompt placeholders</source>
        <translation>Platzhalter des Prompts</translation>
    </message>
    <message>
        <source>Prompt problem</source>
        <translation>Problem mit dem Prompt</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Text</translation>
    </message>
    <message>
        <source>A prompt needs a name.</source>
        <translation>Ein Prompt braucht einen Namen.</translation>
    </message>
    <message>
        <source>The prompt “{name}” has no text.</source>
        <translation>Der Prompt „{name}“ hat keinen Text.</translation>
    </message>
    <message>
        <source>New prompt</source>
        <translation>Neuer Prompt</translation>
    </message>
    <message>
        <source>Could not read {path}: {why}</source>
        <translation>{path} konnte nicht gelesen werden: {why}</translation>
    </message>
    <message>
        <source>Nothing was imported from {path}: {why}</source>
        <translation>Aus {path} wurde nichts importiert: {why}</translation>
    </message>
    <message>
        <source>Could not write {path}: {why}</source>
        <translation>{path} konnte nicht geschrieben werden: {why}</translation>
    </message>
    <message>
        <source>JSON (*.json);;*</source>
        <translation>JSON (*.json);;*</translation>
    </message>
    <message>
        <source>(unnamed)</source>
        <translation>(ohne Namen)</translation>
    </message>
    <message>
        <source>Asked for when chosen: {names}</source>
        <translation>Wird beim Wählen abgefragt: {names}</translation>
    </message>
    <message>
        <source>No placeholders: the text is inserted as it is.</source>
        <translation>Keine Platzhalter: Der Text wird unverändert eingefügt.</translation>
    </message>
</context>
<context>
    <name>QuickAskWindow</name>
    <message>
        <source>Quick ask</source>
        <translation>Schnellfrage</translation>
    </message>
    <message>
        <source>Quick question</source>
        <translation>Kurze Frage</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>Antwort</translation>
    </message>
    <message>
        <source>Quick ask status</source>
        <translation>Status der Schnellfrage</translation>
    </message>
    <message>
        <source>Open in Zlay</source>
        <translation>In Zlay öffnen</translation>
    </message>
    <message>
        <source>Waiting for the answer…</source>
        <translation>Warten auf die Antwort…</translation>
    </message>
</context>
<context>
    <name>RememberedState</name>
    <message>
        <source>Drafts and the window&apos;s layout could not be saved: {0}</source>
        <translation>Entwürfe und das Fensterlayout konnten nicht gespeichert werden: {0}</translation>
    </message>
</context>
<context>
    <name>ReplyStats</name>
    <message>
        <source>{0} ms</source>
        <translation>{0} ms</translation>
    </message>
    <message>
        <source>{0} s</source>
        <translation>{0} s</translation>
    </message>
    <message>
        <source>first token {0}</source>
        <translation>erstes Token nach {0}</translation>
    </message>
    <message>
        <source>{0} tokens/s</source>
        <translation>{0} Tokens/s</translation>
    </message>
    <message>
        <source>{0} in / {1} out tokens</source>
        <translation>{0} Tokens rein / {1} raus</translation>
    </message>
    <message>
        <source>({0} reasoning)</source>
        <translation>({0} für Nachdenken)</translation>
    </message>
</context>
<context>
    <name>SearchResultsModel</name>
    <message>
        <source>in %1: </source>
        <translation>in %1: </translation>
    </message>
    <message>
        <source>Last active {0}</source>
        <translation>Zuletzt aktiv {0}</translation>
    </message>
</context>
<context>
    <name>Secrets</name>
    <message>
        <source>Zlay Desktop keeps API keys in the macOS Keychain. Open Keychain Access, make sure the &apos;login&apos; keychain is unlocked, and allow Zlay Desktop when macOS asks.</source>
        <translation>Zlay Desktop speichert API-Schlüssel im macOS-Schlüsselbund. Öffnen Sie die Schlüsselbundverwaltung, stellen Sie sicher, dass der Schlüsselbund „Anmeldung“ entsperrt ist, und erlauben Sie Zlay Desktop den Zugriff, wenn macOS fragt.</translation>
    </message>
    <message>
        <source>Zlay Desktop keeps API keys in the Windows Credential Manager. Make sure the &apos;Credential Manager&apos; service is running (services.msc) and that you are signed in with a normal user account.</source>
        <translation>Zlay Desktop speichert API-Schlüssel in der Windows-Anmeldeinformationsverwaltung. Stellen Sie sicher, dass der Dienst „Anmeldeinformationsverwaltung“ läuft (services.msc) und dass Sie mit einem normalen Benutzerkonto angemeldet sind.</translation>
    </message>
    <message>
        <source>Zlay Desktop keeps API keys in the Secret Service of your desktop. Install and start GNOME Keyring (e.g. &apos;sudo apt install gnome-keyring&apos;) or KWallet, and unlock the &apos;login&apos; keyring (logging in to a desktop session usually does both). Without a desktop session, start one with &apos;dbus-run-session&apos; and &apos;gnome-keyring-daemon --unlock&apos;.</source>
        <translation>Zlay Desktop speichert API-Schlüssel im Secret Service Ihres Desktops. Installieren und starten Sie GNOME Keyring (z. B. „sudo apt install gnome-keyring“) oder KWallet und entsperren Sie den Schlüsselbund „login“ (die Anmeldung an einer Desktop-Sitzung erledigt meist beides). Ohne Desktop-Sitzung starten Sie eine mit „dbus-run-session“ und „gnome-keyring-daemon --unlock“.</translation>
    </message>
    <message>
        <source>system keyring</source>
        <translation>System-Schlüsselbund</translation>
    </message>
    <message>
        <source>system keyring (Secret Service)</source>
        <translation>System-Schlüsselbund (Secret Service)</translation>
    </message>
    <message>
        <source>system keyring (KWallet)</source>
        <translation>System-Schlüsselbund (KWallet)</translation>
    </message>
    <message>
        <source>macOS Keychain</source>
        <translation>macOS-Schlüsselbund</translation>
    </message>
    <message>
        <source>Windows Credential Manager</source>
        <translation>Windows-Anmeldeinformationsverwaltung</translation>
    </message>
    <message>
        <source>no keyring</source>
        <translation>kein Schlüsselbund</translation>
    </message>
    <message>
        <source>keyring backend {0}</source>
        <translation>Schlüsselbund-Backend {0}</translation>
    </message>
    <message>
        <source>No system keyring is available, so API keys cannot be stored.</source>
        <translation>Es ist kein System-Schlüsselbund verfügbar, daher können API-Schlüssel nicht gespeichert werden.</translation>
    </message>
    <message>
        <source>The keyring is disabled (keyring&apos;s null backend), so API keys cannot be stored.</source>
        <translation>Der Schlüsselbund ist deaktiviert (das Null-Backend von keyring), daher können API-Schlüssel nicht gespeichert werden.</translation>
    </message>
    <message>
        <source>The system keyring is locked (or the unlock prompt was dismissed), so API keys cannot be read or stored.</source>
        <translation>Der System-Schlüsselbund ist gesperrt (oder die Entsperrabfrage wurde geschlossen), daher können API-Schlüssel weder gelesen noch gespeichert werden.</translation>
    </message>
    <message>
        <source>The system keyring (Secret Service over D-Bus) could not be reached.</source>
        <translation>Der System-Schlüsselbund (Secret Service über D-Bus) war nicht erreichbar.</translation>
    </message>
    <message>
        <source>The system keyring refused to store the key.</source>
        <translation>Der System-Schlüsselbund hat das Speichern des Schlüssels verweigert.</translation>
    </message>
    <message>
        <source>The system keyring could not be reached.</source>
        <translation>Der System-Schlüsselbund war nicht erreichbar.</translation>
    </message>
    <message>
        <source>The system keyring failed.</source>
        <translation>Der System-Schlüsselbund ist fehlgeschlagen.</translation>
    </message>
    <message>
        <source>this session only (kept in memory)</source>
        <translation>nur diese Sitzung (im Speicher gehalten)</translation>
    </message>
    <message>
        <source>environment variable {0} (read-only)</source>
        <translation>Umgebungsvariable {0} (schreibgeschützt)</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <source>Max tokens must be a positive whole number, or empty.</source>
        <translation>Max. Tokens muss eine positive ganze Zahl oder leer sein.</translation>
    </message>
    <message>
        <source>Enter the server&apos;s base URL, e.g. http://localhost:11434/v1.</source>
        <translation>Geben Sie die Basis-URL des Servers ein, z. B. http://localhost:11434/v1.</translation>
    </message>
    <message>
        <source>The base URL must start with http:// or https://.</source>
        <translation>Die Basis-URL muss mit http:// oder https:// beginnen.</translation>
    </message>
    <message>
        <source>The base URL needs a host name, e.g. https://api.openai.com/v1.</source>
        <translation>Die Basis-URL braucht einen Hostnamen, z. B. https://api.openai.com/v1.</translation>
    </message>
    <message>
        <source>The port in the base URL is not a number between 0 and 65535.</source>
        <translation>Der Port in der Basis-URL ist keine Zahl zwischen 0 und 65535.</translation>
    </message>
    <message>
        <source>The base URL must not contain &apos;?&apos; or &apos;#&apos;.</source>
        <translation>Die Basis-URL darf kein „?“ oder „#“ enthalten.</translation>
    </message>
    <message>
        <source>Do not put credentials in the base URL; use the API key field.</source>
        <translation>Keine Zugangsdaten in die Basis-URL schreiben; verwenden Sie das Feld für den API-Schlüssel.</translation>
    </message>
    <message>
        <source>The proxy must be an http://, https:// or socks5:// URL, or empty.</source>
        <translation>Der Proxy muss eine http://-, https://- oder socks5://-URL sein oder leer bleiben.</translation>
    </message>
    <message>
        <source>The proxy URL needs a host, e.g. http://proxy.example:3128.</source>
        <translation>Die Proxy-URL braucht einen Host, z. B. http://proxy.example:3128.</translation>
    </message>
    <message>
        <source>The port in the proxy URL is not a number between 0 and 65535.</source>
        <translation>Der Port in der Proxy-URL ist keine Zahl zwischen 0 und 65535.</translation>
    </message>
    <message>
        <source>SOCKS proxies need the &apos;socksio&apos; package (pip install &apos;httpx[socks]&apos;).</source>
        <translation>SOCKS-Proxys brauchen das Paket „socksio“ (pip install &apos;httpx[socks]&apos;).</translation>
    </message>
    <message>
        <source>The settings file {0} could not be read ({1}). Default settings are used for now.</source>
        <translation>Die Einstellungsdatei {0} konnte nicht gelesen werden ({1}). Vorerst werden Standardeinstellungen verwendet.</translation>
    </message>
    <message>
        <source> It was kept as {0}.</source>
        <translation> Sie wurde als {0} aufbewahrt.</translation>
    </message>
    <message>
        <source>The settings file {0} is damaged ({1}), so default settings are used.{2}</source>
        <translation>Die Einstellungsdatei {0} ist beschädigt ({1}), daher werden Standardeinstellungen verwendet.{2}</translation>
    </message>
    <message>
        <source>The settings could not be saved to {0}: {1}.</source>
        <translation>Die Einstellungen konnten nicht in {0} gespeichert werden: {1}.</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Save error</source>
        <translation>Fehler beim Speichern</translation>
    </message>
    <message>
        <source>Command line</source>
        <translation>Befehlszeile</translation>
    </message>
    <message>
        <source>Providers</source>
        <translation>Anbieter</translation>
    </message>
    <message>
        <source>MCP servers</source>
        <translation>MCP-Server</translation>
    </message>
    <message>
        <source>Assistants</source>
        <translation>Assistenten</translation>
    </message>
    <message>
        <source>Prompts</source>
        <translation>Prompts</translation>
    </message>
    <message>
        <source>General</source>
        <translation>Allgemein</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>Systemstandard</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>Sprache:</translation>
    </message>
    <message>
        <source>A new language applies when Zlay Desktop is started again.</source>
        <translation>Eine neue Sprache gilt, sobald Zlay Desktop neu gestartet wird.</translation>
    </message>
    <message>
        <source>the server {0}</source>
        <translation>den Server {0}</translation>
    </message>
    <message>
        <source>the model {0}</source>
        <translation>das Modell {0}</translation>
    </message>
    <message>
        <source>the API key in OPENAI_API_KEY</source>
        <translation>den API-Schlüssel in OPENAI_API_KEY</translation>
    </message>
    <message>
        <source>For this run the command line sets {0}: it wins over the settings below, which apply again when the app is started without it.</source>
        <translation>Für diesen Start legt die Befehlszeile {0} fest: Das hat Vorrang vor den Einstellungen unten, die wieder gelten, wenn die App ohne sie gestartet wird.</translation>
    </message>
    <message>
        <source> and </source>
        <translation> und </translation>
    </message>
    <message>
        <source>Profiles</source>
        <translation>Profile</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Hinzufügen</translation>
    </message>
    <message>
        <source>Add profile</source>
        <translation>Profil hinzufügen</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>Duplizieren</translation>
    </message>
    <message>
        <source>Duplicate profile</source>
        <translation>Profil duplizieren</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Delete profile</source>
        <translation>Profil löschen</translation>
    </message>
    <message>
        <source>(unnamed)</source>
        <translation>(ohne Namen)</translation>
    </message>
    <message>
        <source>Kept for this session only (in memory, not stored).</source>
        <translation>Nur für diese Sitzung aufbewahrt (im Speicher, nicht gespeichert).</translation>
    </message>
    <message>
        <source>Will be stored in the {0} when you press OK.</source>
        <translation>Wird beim Drücken von OK gespeichert: {0}.</translation>
    </message>
    <message>
        <source>Stored in the {0}.</source>
        <translation>Gespeichert: {0}.</translation>
    </message>
    <message>
        <source>Using {0} from the environment (read-only). Type a key here to use another one.</source>
        <translation>{0} aus der Umgebung wird verwendet (schreibgeschützt). Geben Sie hier einen Schlüssel ein, um einen anderen zu verwenden.</translation>
    </message>
    <message>
        <source>This server needs no key.</source>
        <translation>Dieser Server braucht keinen Schlüssel.</translation>
    </message>
    <message>
        <source>No key set.</source>
        <translation>Kein Schlüssel festgelegt.</translation>
    </message>
    <message>
        <source>from {0} (read-only)</source>
        <translation>aus {0} (schreibgeschützt)</translation>
    </message>
    <message>
        <source>Fix the fields marked above first.</source>
        <translation>Korrigieren Sie zuerst die oben markierten Felder.</translation>
    </message>
    <message>
        <source>Some fields need fixing (marked in red).</source>
        <translation>Einige Felder müssen korrigiert werden (rot markiert).</translation>
    </message>
    <message>
        <source>The key cannot be stored: the system keyring is unavailable (see below). Tick “Use this key for this session only” to use it until you quit.</source>
        <translation>Der Schlüssel kann nicht gespeichert werden: Der System-Schlüsselbund ist nicht verfügbar (siehe unten). Wählen Sie „Diesen Schlüssel nur für diese Sitzung verwenden“, um ihn bis zum Beenden zu nutzen.</translation>
    </message>
    <message>
        <source>The API key could not be stored.</source>
        <translation>Der API-Schlüssel konnte nicht gespeichert werden.</translation>
    </message>
    <message>
        <source>{0} The settings were not saved. Tick “Use this key for this session only” to use the key without the keyring.</source>
        <translation>{0} Die Einstellungen wurden nicht gespeichert. Wählen Sie „Diesen Schlüssel nur für diese Sitzung verwenden“, um den Schlüssel ohne Schlüsselbund zu nutzen.</translation>
    </message>
    <message>
        <source>{page}: {problem}</source>
        <translation>{page}: {problem}</translation>
    </message>
    <message>
        <source>MCP servers: {problem}</source>
        <translation>MCP-Server: {problem}</translation>
    </message>
    <message>
        <source>The MCP servers&apos; tokens could not be stored: {why}</source>
        <translation>Die Tokens der MCP-Server konnten nicht gespeichert werden: {why}</translation>
    </message>
    <message>
        <source>Discard changes?</source>
        <translation>Änderungen verwerfen?</translation>
    </message>
    <message>
        <source>Your changes to the settings are not saved. Discard them?</source>
        <translation>Ihre Änderungen an den Einstellungen sind nicht gespeichert. Verwerfen?</translation>
    </message>
</context>
<context>
    <name>Store</name>
    <message>
        <source>Your history file is damaged and could not be moved aside ({0}: {1}). Nothing was changed; move or rename it yourself to start afresh.</source>
        <translation>Ihre Verlaufsdatei ist beschädigt und konnte nicht beiseitegelegt werden ({0}: {1}). Nichts wurde geändert; verschieben oder benennen Sie sie selbst um, um neu zu beginnen.</translation>
    </message>
    <message>
        <source>The disk is full, so the latest change to your history could not be saved. Everything saved before is still there; free some disk space to keep saving.</source>
        <translation>Die Festplatte ist voll, daher konnte die letzte Änderung Ihres Verlaufs nicht gespeichert werden. Alles zuvor Gespeicherte ist noch da; schaffen Sie Platz, um weiter zu speichern.</translation>
    </message>
    <message>
        <source>Your history file is read-only ({0}), so new changes cannot be saved. Your earlier conversations are still there; check the file&apos;s permissions.</source>
        <translation>Ihre Verlaufsdatei ist schreibgeschützt ({0}), daher können neue Änderungen nicht gespeichert werden. Ihre früheren Unterhaltungen sind noch da; prüfen Sie die Berechtigungen der Datei.</translation>
    </message>
    <message>
        <source>Your history file is in use by another program (or another {0} window). Try again in a moment; nothing already saved was lost.</source>
        <translation>Ihre Verlaufsdatei wird von einem anderen Programm (oder einem anderen {0}-Fenster) verwendet. Versuchen Sie es gleich noch einmal; nichts bereits Gespeichertes ging verloren.</translation>
    </message>
    <message>
        <source>Your history file is damaged ({0}). Nothing was deleted; restart {1} to keep the damaged file aside and start a new one.</source>
        <translation>Ihre Verlaufsdatei ist beschädigt ({0}). Nichts wurde gelöscht; starten Sie {1} neu, um die beschädigte Datei beiseitezulegen und eine neue anzulegen.</translation>
    </message>
    <message>
        <source>Your history file could not be opened ({0}). Check that its folder exists and that you may write to it.</source>
        <translation>Ihre Verlaufsdatei konnte nicht geöffnet werden ({0}). Prüfen Sie, ob ihr Ordner existiert und Sie darin schreiben dürfen.</translation>
    </message>
    <message>
        <source>Your history file could not be read or written ({0}): the disk reported an error. Nothing already saved was deleted.</source>
        <translation>Ihre Verlaufsdatei konnte nicht gelesen oder geschrieben werden ({0}): Die Festplatte meldete einen Fehler. Nichts bereits Gespeichertes wurde gelöscht.</translation>
    </message>
    <message>
        <source>The history database is closed.</source>
        <translation>Die Verlaufsdatenbank ist geschlossen.</translation>
    </message>
    <message>
        <source>The history database reported an error: {0}.</source>
        <translation>Die Verlaufsdatenbank hat einen Fehler gemeldet: {0}.</translation>
    </message>
    <message>
        <source>Your history could not be backed up before upgrading it, so it was left as it was. {0}</source>
        <translation>Ihr Verlauf konnte vor dem Aktualisieren nicht gesichert werden und wurde daher unverändert gelassen. {0}</translation>
    </message>
    <message>
        <source>The folder for your history could not be created ({0}: {1}).</source>
        <translation>Der Ordner für Ihren Verlauf konnte nicht angelegt werden ({0}: {1}).</translation>
    </message>
    <message>
        <source>Your history file is damaged ({0}).</source>
        <translation>Ihre Verlaufsdatei ist beschädigt ({0}).</translation>
    </message>
    <message>
        <source>Your history file was written by a newer version of {0} (schema {1}; this version knows {2}). Update {3} to open it; the file was not changed.</source>
        <translation>Ihre Verlaufsdatei wurde von einer neueren Version von {0} geschrieben (Schema {1}; diese Version kennt {2}). Aktualisieren Sie {3}, um sie zu öffnen; die Datei wurde nicht verändert.</translation>
    </message>
    <message>
        <source>Your history file ({0}) needs upgrading but is read-only.</source>
        <translation>Ihre Verlaufsdatei ({0}) muss aktualisiert werden, ist aber schreibgeschützt.</translation>
    </message>
    <message>
        <source>Your history file is read-only ({0}), so new changes cannot be saved. Your earlier conversations are still there.</source>
        <translation>Ihre Verlaufsdatei ist schreibgeschützt ({0}), daher können neue Änderungen nicht gespeichert werden. Ihre früheren Unterhaltungen sind noch da.</translation>
    </message>
    <message>
        <source>An attachment could not be saved ({0}); the message was not stored. Check the disk&apos;s free space and the data folder&apos;s permissions.</source>
        <translation>Ein Anhang konnte nicht gespeichert werden ({0}); die Nachricht wurde nicht abgelegt. Prüfen Sie den freien Speicherplatz und die Berechtigungen des Datenordners.</translation>
    </message>
    <message>
        <source>This conversation no longer exists.</source>
        <translation>Diese Unterhaltung existiert nicht mehr.</translation>
    </message>
    <message>
        <source>The message this one answers no longer exists.</source>
        <translation>Die Nachricht, auf die diese antwortet, existiert nicht mehr.</translation>
    </message>
</context>
<context>
    <name>Targets</name>
    <message>
        <source>No provider is set up yet: open Settings (Ctrl+,) and add one — OpenAI, a local server such as Ollama or LM Studio, or any OpenAI-compatible API.</source>
        <translation>Noch kein Anbieter eingerichtet: Öffnen Sie die Einstellungen (Strg+,) und fügen Sie einen hinzu – OpenAI, einen lokalen Server wie Ollama oder LM Studio oder eine beliebige OpenAI-kompatible API.</translation>
    </message>
    <message>
        <source>The API key for “{0}” could not be read: {1} {2}</source>
        <translation>Der API-Schlüssel für „{0}“ konnte nicht gelesen werden: {1} {2}</translation>
    </message>
    <message>
        <source>No API key is set for “{0}”: add one in Settings (Ctrl+,).</source>
        <translation>Für „{0}“ ist kein API-Schlüssel festgelegt: Fügen Sie einen in den Einstellungen hinzu (Strg+,).</translation>
    </message>
    <message>
        <source>No model is chosen for “{0}”: pick one in Settings.</source>
        <translation>Für „{0}“ ist kein Modell gewählt: Wählen Sie eines in den Einstellungen.</translation>
    </message>
</context>
<context>
    <name>ToolCard</name>
    <message>
        <source>Run the tool “%1” of the server “%2”?</source>
        <translation>Das Werkzeug „%1“ des Servers „%2“ ausführen?</translation>
    </message>
    <message>
        <source>Tool %1: %2</source>
        <translation>Werkzeug %1: %2</translation>
    </message>
    <message>
        <source>Waiting for your approval</source>
        <translation>Wartet auf Ihre Freigabe</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Wartet</translation>
    </message>
    <message>
        <source>Running…</source>
        <translation>Läuft…</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Timed out</source>
        <translation>Zeitüberschreitung</translation>
    </message>
    <message>
        <source>Denied</source>
        <translation>Abgelehnt</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Angehalten</translation>
    </message>
    <message>
        <source>Not run</source>
        <translation>Nicht ausgeführt</translation>
    </message>
    <message>
        <source>Interrupted: the app closed before it finished</source>
        <translation>Unterbrochen: Die App wurde geschlossen, bevor es fertig war</translation>
    </message>
    <message>
        <source>Tool %1</source>
        <translation>Werkzeug %1</translation>
    </message>
    <message>
        <source>(unnamed)</source>
        <translation>(ohne Namen)</translation>
    </message>
    <message>
        <source>Hide the details</source>
        <translation>Details ausblenden</translation>
    </message>
    <message>
        <source>Show the details</source>
        <translation>Details einblenden</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>Arguments</source>
        <translation>Argumente</translation>
    </message>
    <message>
        <source>… and %1 more characters of the arguments, not shown here (Copy the arguments copies them all).</source>
        <translation>… und %1 weitere Zeichen der Argumente, hier nicht angezeigt („Argumente kopieren“ kopiert sie alle).</translation>
    </message>
    <message>
        <source>Copy the arguments</source>
        <translation>Argumente kopieren</translation>
    </message>
    <message>
        <source>Show fewer arguments</source>
        <translation>Weniger Argumente anzeigen</translation>
    </message>
    <message>
        <source>Show all arguments</source>
        <translation>Alle Argumente anzeigen</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>… and %1 more characters, not shown here (Copy copies the whole result).</source>
        <translation>… und %1 weitere Zeichen, hier nicht angezeigt („Ergebnis kopieren“ kopiert das ganze Ergebnis).</translation>
    </message>
    <message>
        <source>Image %1 the tool returned</source>
        <translation>Bild %1, das das Werkzeug geliefert hat</translation>
    </message>
    <message>
        <source>Copy result</source>
        <translation>Ergebnis kopieren</translation>
    </message>
    <message>
        <source>Deny</source>
        <translation>Ablehnen</translation>
    </message>
    <message>
        <source>Do not run this tool; the model is told you declined (Esc)</source>
        <translation>Dieses Werkzeug nicht ausführen; dem Modell wird mitgeteilt, dass Sie abgelehnt haben (Esc)</translation>
    </message>
    <message>
        <source>Always allow</source>
        <translation>Immer erlauben</translation>
    </message>
    <message>
        <source>Run this tool of this server without asking again (revocable in Settings)</source>
        <translation>Dieses Werkzeug dieses Servers ab jetzt ohne Nachfrage ausführen (in den Einstellungen widerrufbar)</translation>
    </message>
    <message>
        <source>Allow</source>
        <translation>Erlauben</translation>
    </message>
    <message>
        <source>Run this tool once (Enter)</source>
        <translation>Dieses Werkzeug einmal ausführen (Enter)</translation>
    </message>
    <message numerus="yes">
        <source>%n image(s)</source>
        <translation>
            <numerusform>%n Bild</numerusform>
            <numerusform>%n Bilder</numerusform>
        </translation>
    </message>
    <message>
        <source>… and {0} more characters of the arguments</source>
        <translation>… und {0} weitere Zeichen der Argumente</translation>
    </message>
</context>
<context>
    <name>Transcript</name>
    <message>
        <source>Previous version</source>
        <translation>Vorherige Version</translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>Next version</source>
        <translation>Nächste Version</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>Bearbeiten</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>Neu erzeugen</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Wiederholen</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <source>Delete this version</source>
        <translation>Diese Version löschen</translation>
    </message>
    <message>
        <source>Conversation</source>
        <translation>Unterhaltung</translation>
    </message>
    <message>
        <source>… and %1 more characters, not shown here (Copy copies the whole message).</source>
        <translation>… und %1 weitere Zeichen, hier nicht angezeigt („Kopieren“ kopiert die ganze Nachricht).</translation>
    </message>
    <message>
        <source>code</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>Copy code</source>
        <translation>Code kopieren</translation>
    </message>
    <message>
        <source>Thinking…</source>
        <translation>Denkt nach…</translation>
    </message>
    <message>
        <source>Thought for %1 s</source>
        <translation>%1 s nachgedacht</translation>
    </message>
    <message>
        <source>Reasoning</source>
        <translation>Gedankengang</translation>
    </message>
    <message>
        <source>Hide the reasoning</source>
        <translation>Gedankengang ausblenden</translation>
    </message>
    <message>
        <source>Show the reasoning</source>
        <translation>Gedankengang einblenden</translation>
    </message>
    <message>
        <source>The model refused: %1</source>
        <translation>Das Modell hat abgelehnt: %1</translation>
    </message>
    <message>
        <source>Waiting for first token… %1 s</source>
        <translation>Warten auf das erste Token… %1 s</translation>
    </message>
    <message>
        <source>Waiting for first token…</source>
        <translation>Warten auf das erste Token…</translation>
    </message>
    <message>
        <source>The reply failed.</source>
        <translation>Die Antwort ist fehlgeschlagen.</translation>
    </message>
    <message>
        <source>%1 (retry in %2 s)</source>
        <translation>%1 (erneut versuchen in %2 s)</translation>
    </message>
    <message>
        <source>Stopped.</source>
        <translation>Angehalten.</translation>
    </message>
    <message>
        <source>Interrupted: the app closed while this reply was arriving.</source>
        <translation>Unterbrochen: Die App wurde geschlossen, während diese Antwort eintraf.</translation>
    </message>
    <message>
        <source>The answer was cut at the token limit.</source>
        <translation>Die Antwort wurde am Token-Limit abgeschnitten.</translation>
    </message>
    <message>
        <source>The provider&apos;s content filter ended the answer.</source>
        <translation>Der Inhaltsfilter des Anbieters hat die Antwort beendet.</translation>
    </message>
    <message>
        <source>Start a conversation</source>
        <translation>Eine Unterhaltung beginnen</translation>
    </message>
    <message>
        <source>Type a message below and press Enter to send it. Pick a provider in the toolbar, or add one in Settings (Ctrl+,). Your conversations are kept in the list on the left.</source>
        <translation>Geben Sie unten eine Nachricht ein und drücken Sie Enter, um sie zu senden. Wählen Sie einen Anbieter in der Werkzeugleiste oder fügen Sie in den Einstellungen einen hinzu (Strg+,). Ihre Unterhaltungen stehen in der Liste links.</translation>
    </message>
    <message>
        <source>Jump to latest</source>
        <translation>Zur neuesten springen</translation>
    </message>
    <message>
        <source>You</source>
        <translation>Sie</translation>
    </message>
    <message>
        <source>Assistant</source>
        <translation>Assistent</translation>
    </message>
    <message>
        <source>System</source>
        <translation>System</translation>
    </message>
    <message>
        <source>Tool result</source>
        <translation>Werkzeugergebnis</translation>
    </message>
    <message>
        <source>Thinking</source>
        <translation>Nachdenken</translation>
    </message>
</context>
<context>
    <name>TranscriptAttachments</name>
    <message>
        <source>image, {0}</source>
        <translation>Bild, {0}</translation>
    </message>
    <message numerus="yes">
        <source>%n page(s)</source>
        <translation>
            <numerusform>%n Seite</numerusform>
            <numerusform>%n Seiten</numerusform>
        </translation>
    </message>
    <message>
        <source>Attached: {0}</source>
        <translation>Angehängt: {0}</translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message>
        <source>New conversation</source>
        <translation>Neue Unterhaltung</translation>
    </message>
    <message>
        <source>Quick ask</source>
        <translation>Schnellfrage</translation>
    </message>
    <message>
        <source>Show/Hide</source>
        <translation>Anzeigen/Ausblenden</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Beenden</translation>
    </message>
</context>
<context>
    <name>VersionUndoBar</name>
    <message>
        <source>Version deleted</source>
        <translation>Version gelöscht</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Rückgängig</translation>
    </message>
    <message>
        <source>Undo delete version</source>
        <translation>Löschen der Version rückgängig machen</translation>
    </message>
    <message>
        <source>Bring the version back (Ctrl+Z)</source>
        <translation>Die Version wiederherstellen (Strg+Z)</translation>
    </message>
    <message>
        <source>Version deleted. Undo within %1 s (Ctrl+Z).</source>
        <translation>Version gelöscht. Innerhalb von %1 s rückgängig machen (Strg+Z).</translation>
    </message>
</context>
</TS>
