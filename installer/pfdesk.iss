; Inno Setup script: a per-user installer that needs no administrator rights,
; so a municipal PC without IT staff can install pfdesk by double-click.
#ifndef MyAppVersion
  #define MyAppVersion "0.1.0"
#endif

[Setup]
AppId={{6C0E7A52-3F1B-4B55-9A43-5D3E2B1F7A10}
AppName=pfdesk
AppVersion={#MyAppVersion}
AppPublisher=pfdesk
DefaultDirName={localappdata}\Programs\pfdesk
DefaultGroupName=pfdesk
PrivilegesRequired=lowest
OutputDir=..\dist
OutputBaseFilename=pfdesk-setup-{#MyAppVersion}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=no
UninstallDisplayName=pfdesk

[Languages]
Name: "japanese"; MessagesFile: "compiler:Languages\Japanese.isl"

[Tasks]
Name: "desktopicon"; Description: "デスクトップにアイコンを作成する"; GroupDescription: "アイコン:"

[Files]
Source: "..\dist\pfdesk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\pfdesk"; Filename: "{app}\pfdesk.exe"
Name: "{group}\pfdesk（デモの町）"; Filename: "{app}\pfdesk.exe"; Parameters: "--demo"
Name: "{autodesktop}\pfdesk"; Filename: "{app}\pfdesk.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\pfdesk.exe"; Description: "pfdesk を起動する"; Flags: nowait postinstall skipifsilent

; Data in %LOCALAPPDATA%\pfdesk is never removed by uninstalling.
