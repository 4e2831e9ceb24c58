; Included by electron-builder's NSIS script (electron-builder.ts, nsis.include).
;
; Uninstalling keeps the person's settings, saved connections and chat history (%APPDATA%\PodDesk)
; unless they ask. electron-builder's one-click uninstaller has no such question, so it is added
; here. Updates and scripted uninstalls run the uninstaller with /S and are never asked; a scripted
; uninstall that wants the data gone passes --delete-app-data, as electron-builder documents.

!macro customUnInit
  Var /GLOBAL podDeskDeleteData
  StrCpy $podDeskDeleteData "0"
  ClearErrors
  ${GetParameters} $R0
  ${GetOptions} $R0 "/S" $R1
  ${If} ${Errors}
    ; No /SD answer: the one-click uninstaller has switched itself to silent by now, and NSIS
    ; still shows a message box that has no silent default.
    MessageBox MB_YESNO|MB_ICONQUESTION|MB_DEFBUTTON2 "Also delete your PodDesk settings, saved connections and chat history?$\r$\n$\r$\nChoose No to keep them for when you install PodDesk again." IDNO poddesk_keep_data
    StrCpy $podDeskDeleteData "1"
    poddesk_keep_data:
  ${EndIf}
!macroend

!macro customUnInstall
  ${If} $podDeskDeleteData == "1"
    SetShellVarContext current
    RMDir /r "$APPDATA\${APP_FILENAME}"
    !ifdef APP_PACKAGE_NAME
      RMDir /r "$APPDATA\${APP_PACKAGE_NAME}"
    !endif
  ${EndIf}
!macroend
