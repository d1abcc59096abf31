; Inno Setup script: a per-user installer that needs no administrator rights,
; so a municipal PC without IT staff can install pfdesk by double-click.
; Built by installer\build.py (which passes MyAppVersion) from dist\pfdesk\.
#ifndef MyAppVersion
  #define MyAppVersion "0.1.0"
#endif

[Setup]
AppId={{6C0E7A52-3F1B-4B55-9A43-5D3E2B1F7A10}
AppName=pfdesk
AppVersion={#MyAppVersion}
AppVerName=pfdesk {#MyAppVersion}
AppPublisher=pfdesk
DefaultDirName={localappdata}\Programs\pfdesk
DefaultGroupName=pfdesk
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=
OutputDir=..\dist
OutputBaseFilename=pfdesk-setup-{#MyAppVersion}
SetupIconFile=..\resources\icons\pfdesk.ico
UninstallDisplayIcon={app}\pfdesk.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=no
UninstallDisplayName=pfdesk
; pfdesk refuses to run twice on one data folder; the installer asks to close it.
CloseApplications=yes

[Languages]
Name: "japanese"; MessagesFile: "compiler:Languages\Japanese.isl"

[Tasks]
Name: "desktopicon"; Description: "デスクトップにアイコンを作成する"; GroupDescription: "アイコン:"

[Files]
Source: "..\dist\pfdesk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\pfdesk"; Filename: "{app}\pfdesk.exe"
Name: "{group}\pfdesk（デモの町）"; Filename: "{app}\pfdesk.exe"; Parameters: "--demo"
Name: "{group}\pfdesk 説明書"; Filename: "{app}\pfdesk.exe"; Parameters: "manual"
Name: "{group}\pfdesk のアンインストール"; Filename: "{uninstallexe}"
Name: "{autodesktop}\pfdesk"; Filename: "{app}\pfdesk.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\pfdesk.exe"; Description: "pfdesk を起動する"; Flags: nowait postinstall skipifsilent

[Code]
{ The data (%LOCALAPPDATA%\pfdesk: the store, backups, logs, the demo town) is kept
  when pfdesk is uninstalled, unless the user asks twice to delete it. A silent
  uninstall never deletes it. }

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  DataDir: String;
begin
  if (CurUninstallStep <> usPostUninstall) or UninstallSilent() then
    exit;
  DataDir := ExpandConstant('{localappdata}\pfdesk');
  if not DirExists(DataDir) then
    exit;
  if MsgBox('pfdesk のデータ（相談記録・会議・バックアップ・ログ）は残してあります。' + #13#10 +
            DataDir + #13#10#13#10 +
            'データも削除しますか？ 通常は「いいえ」を選んでください。',
            mbConfirmation, MB_YESNO or MB_DEFBUTTON2) <> IDYES then
    exit;
  if MsgBox('本当にデータを削除しますか？ 削除したデータは元に戻せません。' + #13#10 +
            '新しい PC へ移す場合は、先に「ファイル → 新しい PC へ移す」で移行用ファイルを作ってください。',
            mbError, MB_YESNO or MB_DEFBUTTON2) = IDYES then
    DelTree(DataDir, True, True, True);
end;
