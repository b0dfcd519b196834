; Inno Setup script for the Windows installer: dist\zlay-desktop-<version>-setup.exe.
;
; Build the app folder first (on Windows, from the repository root):
;     python packaging\render_icons.py build\icons      (the spec does this too)
;     python -m PyInstaller --noconfirm --clean --distpath dist --workpath build\pyinstaller packaging\zlay-desktop.spec
; then, with Inno Setup 6:
;     ISCC /DAppVersion=<version> packaging\windows\zlay-desktop.iss
; The version comes from zlay_desktop.__version__ (the CI workflow passes it); it is never
; written here. Paths below are relative to this file.

#ifndef AppVersion
  #error Pass the version: ISCC /DAppVersion=x.y.z packaging\windows\zlay-desktop.iss
#endif
#define AppName "Zlay Desktop"
#define AppExe "zlay-desktop.exe"

[Setup]
; Never change AppId: Windows finds the installed app (for upgrades, uninstall) by it.
AppId={{61D94087-3708-4BE2-9D2A-45AB2E1C1A66}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=The Zlay Desktop developers
AppCopyright=Copyright (c) 2026 The Zlay Desktop developers
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
LicenseFile=..\..\LICENSE
SetupIconFile=..\..\build\icons\zlay-desktop.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
OutputDir=..\..\dist
OutputBaseFilename=zlay-desktop-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Per-user install without admin rights is offered; all users needs elevation.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
CloseApplications=yes

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "..\..\dist\zlay-desktop\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
