// All text of the verify page, in German (default) and English.
// Keys are the same in both tables; `{name}` is replaced by app.js. Values only ever go into
// `textContent` (never HTML), so a string here cannot inject markup.

export const DEFAULT_LANG = 'de';

export const strings = {
  de: {
    // Page frame
    pageTitle: 'Dokument prüfen – GovChain',
    langSwitch: 'English',
    langSwitchLang: 'en',
    langSwitchLabel: 'Switch to English',
    skipLink: 'Zum Inhalt springen',
    siteName: 'GovChain',
    siteTagline: 'Dokumentenprüfung der beteiligten Kommunen',
    h1: 'Dokument prüfen',
    intro:
      'Prüfen Sie, ob ein Dokument einer beteiligten Kommune echt ist und noch gilt – zum Beispiel eine Geburtsurkunde, eine Baugenehmigung oder einen Parkausweis. Sie müssen nichts installieren.',
    insecureContext:
      'Diese Seite wurde nicht über eine sichere Verbindung (HTTPS) geladen. Viele Browser stellen die nötigen Rechenfunktionen dann nicht bereit; die Prüfung kann fehlschlagen.',

    // Online check
    onlineHeading: 'Dokument online prüfen',
    qrNoticeTitle: 'Prüfung über QR-Code',
    qrNoticeText:
      'Sie haben einen Prüf-Link aus einem QR-Code geöffnet. Der darin enthaltene Fingerabdruck wird sofort geprüft – eine Datei brauchen Sie dafür nicht. Wählen Sie zusätzlich die Datei aus, wird verglichen, ob sie zum QR-Code passt.',
    qrMatchYes: 'Die gewählte Datei passt zum QR-Code: Der Fingerabdruck ist derselbe.',
    qrMatchNo:
      'Die gewählte Datei passt NICHT zum QR-Code: Ihr Fingerabdruck ist ein anderer. Das Ergebnis gilt für die Datei, nicht für den QR-Code.',
    qrSaltDropped: 'Der Salt aus dem QR-Code gehört nicht zu dieser Datei und wurde nicht verwendet.',
    qrInvalid:
      'Der Prüf-Link enthält keinen gültigen Fingerabdruck. Erwartet werden 64 Hexadezimalzeichen, optional gefolgt von „.“ und 32 Zeichen Salt.',
    fileStepHeading: 'Datei prüfen',
    dropTitle: 'Datei auswählen',
    dropHint: 'oder hierher ziehen',
    privacy: 'Die Datei verlässt Ihren Rechner nicht — nur ihr SHA-256-Fingerabdruck wird berechnet.',
    privacyMore:
      'Für die Abfrage wird nur dieser Fingerabdruck an den Knoten gesendet – bei einem Salt nur der daraus abgeleitete Schlüssel.',
    fileChosen: 'Gewählt: {name} ({size})',
    hashStepHeading: 'Oder Fingerabdruck eingeben',
    hashLabel: 'SHA-256-Fingerabdruck',
    hashHint: '64 Zeichen aus 0–9 und a–f, z. B. aus einer Nachricht der ausstellenden Stelle.',
    saltLabel: 'Salt (nur falls angegeben)',
    saltHint:
      'Manche Dokumente – etwa Urkunden oder Parkausweise mit persönlichen Daten – werden mit einem Salt verankert: einem Zufallswert aus 32 Zeichen (0–9, a–f), der neben dem QR-Code aufgedruckt ist oder den Ihnen die ausstellende Stelle nennt. So kann niemand ohne das Dokument nachsehen, ob es existiert. Steht kein Salt auf dem Dokument, lassen Sie das Feld leer.',
    checkButton: 'Fingerabdruck prüfen',

    // Banner states
    idleTitle: 'Noch keine Prüfung',
    idleLead: 'Wählen Sie eine Datei oder geben Sie einen Fingerabdruck ein. Das Ergebnis erscheint hier.',
    hashingTitle: 'Fingerabdruck wird berechnet …',
    hashingLead: 'Ihr Browser berechnet den SHA-256-Fingerabdruck der Datei. Die Datei wird nicht hochgeladen.',
    checkingTitle: 'Prüfung läuft …',
    checkingLead: 'Der Nachweis wird vom Knoten abgerufen und in Ihrem Browser nachgerechnet.',
    offlineCheckingLead: 'Die Quittung wird in Ihrem Browser nachgerechnet, ohne Netzwerk.',

    // Verdict titles
    verdictValid: 'Gültig',
    verdictRevoked: 'Widerrufen',
    verdictSuperseded: 'Ersetzt',
    verdictUnknown: 'Unbekannt',
    verdictExpired: 'Abgelaufen',
    verdictNotYetValid: 'Noch nicht gültig',
    verdictInvalid: 'Nachweis ungültig',
    verdictStale: 'Nachweis veraltet',
    verdictError: 'Prüfung nicht möglich',
    verdictAnchored: 'Verankert',

    // Verdict leads
    leadValid: 'Das Dokument ist echt und gültig – Stand: Block {height}.',
    leadValidBy: 'Das Dokument ist echt und gültig. Ausgestellt von {authority} – Stand: Block {height}.',
    leadRevoked: 'Das Dokument wurde aufgehoben und gilt nicht mehr. Grund: {reason}.',
    leadSuperseded: 'Das Dokument wurde durch ein neueres Dokument ersetzt und gilt nicht mehr. Maßgeblich ist das neue Dokument.',
    leadUnknown: 'Zu diesem Fingerabdruck ist nachweislich kein Dokument verankert – Stand: Block {height}.',
    leadExpired: 'Das Dokument ist echt, seine Gültigkeit ist aber am {date} abgelaufen.',
    leadExpiredNoDate: 'Das Dokument ist echt, seine Gültigkeit ist aber abgelaufen.',
    leadNotYetValid: 'Das Dokument ist echt, gilt aber erst ab {date}.',
    leadNotYetValidNoDate: 'Das Dokument ist echt, gilt aber noch nicht.',
    leadInvalid: 'Die Antwort des Knotens hat die Prüfung nicht bestanden. Vertrauen Sie dieser Antwort nicht.',
    leadStale: 'Nachweis veraltet — der Knoten hat keinen aktuellen Block geliefert.',
    leadPinMismatch:
      'Der Knoten liefert eine andere Genesis als die, die in Ihrem Browser gespeichert ist. Vertrauen Sie seinen Antworten nicht.',
    leadAnchoredV1: 'Das Dokument wurde nachweislich in Block {height} verankert.',

    // Verdict explanations
    unknownMeaning:
      'Das bedeutet: Bis einschließlich Block {height} wurde dieses Dokument nie verankert. Das ist nachgewiesen, nicht nur „nicht gefunden“.',
    unknownSaltHint:
      'Gesalzene Dokumente lassen sich nur mit ihrem Salt finden. Den Salt finden Sie neben dem QR-Code, oder die ausstellende Stelle nennt ihn Ihnen.',
    unknownSaltGivenHint: 'Sie haben einen Salt angegeben. Prüfen Sie, ob er richtig eingegeben ist.',
    unknownSaltedTypes: 'Mit Salt verankert werden: {types}.',
    unknownFileHint:
      'Schon eine kleine Änderung der Datei – etwa erneutes Speichern oder ein Ausdruck als neue PDF – ergibt einen anderen Fingerabdruck. Prüfen Sie die Originaldatei.',
    invalidWarning:
      'Das Ergebnis bestätigt das Dokument weder, noch widerlegt es das Dokument. Versuchen Sie es später erneut, nutzen Sie einen anderen Knoten oder fragen Sie bei der ausstellenden Stelle nach.',
    staleDetail:
      'Der gelieferte Block ist {age} alt; akzeptiert werden höchstens {max}. Das Ergebnis gilt deshalb als nicht nachgewiesen. Versuchen Sie es in Kürze erneut.',
    pinMismatchHint:
      'Haben die Kommunen tatsächlich eine neue Genesis veröffentlicht, laden Sie diese Datei im Abschnitt „Vertrauensanker (Genesis)“.',
    subjectMismatch: 'Der Knoten hat einen Nachweis für ein anderes Dokument geliefert als angefragt.',
    receiptV1:
      'Quittung Version 1: Sie weist nur die Verankerung nach (in Block {height}). Ob das Dokument danach widerrufen oder ersetzt wurde, zeigt nur eine Online-Prüfung.',
    receiptV2:
      'Quittung Version 2: Sie weist den Status des Dokuments zum Stand von Block {height} ({time}) nach. Spätere Änderungen sind darin nicht enthalten.',
    offlineNoNetwork: 'Für diese Prüfung wurde keine Netzwerkanfrage gesendet.',

    // Fact sections
    docHeading: 'Angaben zum Dokument',
    statusHeadingRevoked: 'Aufhebung',
    statusHeadingSuperseded: 'Ersetzung',
    proofHeading: 'Nachweis',
    failureHeading: 'Was nicht stimmt',
    technicalSummary: 'Technische Angaben',
    factIssuedBy: 'Ausgestellt von',
    factDocType: 'Dokumentart',
    factAnchored: 'Verankert',
    factAnchoredValue: 'in Block {height} am {time}',
    factAnchoredBlock: 'in Block {height}',
    factValidFrom: 'Gültig ab',
    factValidUntil: 'Gültig bis',
    factReference: 'Aktenzeichen (SHA-256)',
    factSupersedes: 'Ersetzt das frühere Dokument',
    factReason: 'Grund',
    factEffective: 'Wirksam ab',
    factRecorded: 'Eingetragen',
    factRecordedValue: 'in Block {height}',
    factSuccessor: 'Ersetzt durch',
    successorLink: 'Nachfolgedokument prüfen',
    previousLink: 'Früheres Dokument prüfen',
    factProvenBlock: 'Nachgewiesener Stand',
    factProvenBlockValue: 'Block {height} vom {time} ({age})',
    factSigners: 'Unterschrieben von',
    factSignersValue: '{names} – {signed} von {total} Stimmen',
    factVotes: '{signed} von {total} Stimmen',
    factDocumentHash: 'Fingerabdruck (SHA-256)',
    factReceiptDocument: 'Fingerabdruck laut Quittung',
    factLedgerKey: 'Schlüssel im Register (mit Salt)',
    factSalt: 'Salt',
    factOrigin: 'Geprüft über',
    originQr: 'QR-Code bzw. Prüf-Link',
    originFile: 'die ausgewählte Datei',
    originTyped: 'den eingegebenen Fingerabdruck',
    originReceipt: 'Quittung (ohne Netzwerk)',
    factFile: 'Datei',
    factFileValue: '{name} ({size})',
    factCheckedAt: 'Geprüft am',
    factChain: 'Kette',
    factGenesisHash: 'Genesis-Hash',
    factReceiptVersion: 'Art der Quittung',
    receiptVersion1: 'Version 1 – nur Verankerung',
    receiptVersion2: 'Version 2 – Status zum Stand eines Blocks',
    factGenesisUsed: 'Verwendete Genesis',
    pinCompareMatch: 'stimmt mit dem in Ihrem Browser gespeicherten Vertrauensanker überein',
    pinCompareDiffers: 'weicht vom in Ihrem Browser gespeicherten Vertrauensanker für diese Kette ab!',
    pinCompareNone: 'für diese Kette ist in Ihrem Browser kein Vertrauensanker gespeichert',
    factFailedCheck: 'Fehlgeschlagene Prüfung',
    factFailReason: 'Begründung',
    factPinned: 'Gespeicherter Vertrauensanker',
    factServed: 'Vom Knoten geliefert',
    factAnchorTx: 'Verankerungs-Transaktion',
    factStatusTx: 'Transaktion der Statusänderung',
    factClerk: 'Schlüssel der Sachbearbeitung',
    factStatusClerk: 'Schlüssel der Sachbearbeitung (Statusänderung)',
    factCosigner: 'Schlüssel der Zweitzeichnung (Vier-Augen-Prinzip)',
    factStatusCosigner: 'Schlüssel der Zweitzeichnung (Statusänderung)',
    factAuthorityId: 'Kennung der Behörde',
    factSubject: 'Schlüssel (subject)',
    none: '–',

    // Proof checks that can fail (verifier's `check`, plus the page's own)
    checks: {
      format: 'Aufbau der Antwort',
      genesis: 'Genesis (Kette)',
      header: 'Blockkopf',
      commit: 'Unterschriften der Validatoren',
      validator_sets: 'Wechsel der Validatoren seit der Genesis',
      state_path: 'Zustandspfad (Merkle-Nachweis)',
      record: 'Dokumenteintrag',
      inclusion: 'Aufnahme in den Block',
      transaction: 'Transaktion',
      subject: 'Angefragtes Dokument',
      pin: 'Gespeicherter Vertrauensanker',
    },

    // Revocation reasons (docs: RevocationReason), in the terms of the VwVfG
    reasons: {
      withdrawal: 'Widerruf (§ 49 VwVfG)',
      annulment: 'Rücknahme (§ 48 VwVfG)',
      correction: 'Berichtigung (§ 42 VwVfG)',
      'issued-in-error': 'irrtümlich ausgestellt',
      settled: 'Erledigung (§ 43 Abs. 2 VwVfG)',
    },
    reasonUnknown: 'nicht angegeben ({code})',

    // Document types (genesis `document_types`); unknown codes are shown as they are
    docTypes: {
      'birth-certificate': 'Geburtsurkunde',
      'business-registration': 'Gewerbeanmeldung',
      'building-permit': 'Baugenehmigung',
      'residence-confirmation': 'Meldebestätigung',
      'parking-permit': 'Parkausweis',
    },

    // Ages and durations
    ageJustNow: 'gerade eben',
    ageSeconds: 'vor {n} s',
    ageMinutes: 'vor {n} min',
    ageHours: 'vor {n} h',
    ageDay: 'vor 1 Tag',
    ageDays: 'vor {n} Tagen',
    ageFuture: 'Zeitangabe liegt {d} in der Zukunft',
    durSeconds: '{n} s',
    durMinutes: '{n} min',
    durHours: '{n} h',
    durDay: '1 Tag',
    durDays: '{n} Tage',

    // Report
    reportLink: 'Prüfbericht (PDF)',
    reportHint: 'Der Knoten erstellt den Bericht mit denselben Angaben und dem Nachweis im Anhang, zum Ablegen in Ihrer Akte.',

    // Genesis / trust anchor
    genesisHeading: 'Vertrauensanker (Genesis)',
    genesisIntro:
      'Jede Prüfung wird gegen die Genesis-Datei der Kette nachgerechnet: Sie legt fest, welche Validatoren – die Rechenzentren der Kommunen – unterschreiben dürfen. Diese Seite speichert den Genesis-Hash beim ersten Besuch in Ihrem Browser („Pin“) und meldet jede spätere Abweichung.',
    genesisCompare:
      'Vergleichen Sie diesen Genesis-Hash mit dem, den die beteiligten Kommunen veröffentlichen. Stimmt er überein, hängt das Prüfergebnis nicht davon ab, ob dieser Server ehrlich ist.',
    genesisChainLabel: 'Kette',
    genesisHashLabel: 'Genesis-Hash',
    genesisValidatorsLabel: 'Validatoren',
    genesisValidatorsValue: '{names} ({count} Validatoren, {power} Stimmen)',
    genesisSourceLabel: 'Quelle',
    sourceNode: 'von diesem Knoten geliefert',
    sourceFile: 'aus der Datei „{name}“',
    genesisLoading: 'Die Genesis wird geladen …',
    pinNew:
      'Neu gepinnt: Diese Genesis wurde eben als Vertrauensanker in Ihrem Browser gespeichert. Vergleichen Sie den Hash einmal mit der Veröffentlichung der Kommunen.',
    pinMatch: 'Stimmt mit dem in Ihrem Browser gespeicherten Vertrauensanker überein.',
    pinReplaced: 'Neu gepinnt: Die geladene Genesis-Datei ersetzt den bisherigen Vertrauensanker.',
    pinUnavailable:
      'Der Vertrauensanker konnte nicht gespeichert werden, weil der Browserspeicher nicht verfügbar ist. Vergleichen Sie den Hash bei jedem Besuch selbst.',
    pinMismatch:
      'Achtung: Dieser Knoten liefert eine andere Genesis als die, die in Ihrem Browser gespeichert ist. Prüfungen über diesen Knoten werden abgelehnt.',
    pinOtherChains:
      'Hinweis: In diesem Browser sind Vertrauensanker für andere Ketten gespeichert ({list}). Prüfen Sie, ob Sie die richtige Prüfseite verwenden.',
    genesisFailed: 'Die Genesis konnte nicht geladen werden: {message}',
    genesisFailedHint: 'Ohne Genesis ist keine Prüfung möglich. Laden Sie unten eine Genesis-Datei aus verlässlicher Quelle.',
    genesisUnreachable: 'Der Knoten ist nicht erreichbar.',
    genesisFileLabel: 'Genesis-Datei aus anderer Quelle laden',
    genesisFileHint:
      'Zum Beispiel von der Website Ihrer Kommune. Sie wird dann für die Prüfung verwendet und ersetzt nach einer Rückfrage den gespeicherten Vertrauensanker.',
    confirmReplacePin:
      'Die Genesis-Datei „{name}“ für die Kette {chain} hat den Hash\n{new}\n\nIn Ihrem Browser gespeichert ist bisher\n{old}\n\nSoll die Datei der neue Vertrauensanker werden?',
    genesisFileRejected: 'Die Genesis-Datei „{name}“ wurde nicht übernommen; der bisherige Vertrauensanker gilt weiter.',
    genesisFileInvalid: 'Die Datei „{name}“ ist keine gültige Genesis-Datei: {message}',
    genesisFileLoaded: 'Die Genesis-Datei „{name}“ wird jetzt für die Prüfung verwendet.',

    // Offline
    offlineHeading: 'Ohne Netzwerk prüfen',
    offlineIntro:
      'Mit einer Quittung (JSON-Datei) und der von den Kommunen veröffentlichten Genesis-Datei prüfen Sie ein Dokument ganz ohne Netzwerkverbindung. Es wird keine Anfrage gesendet; beide Dateien bleiben auf Ihrem Rechner.',
    receiptLabel: 'Quittung (JSON-Datei)',
    receiptHint: 'Die Quittung erhalten Sie von der ausstellenden Stelle oder zusammen mit dem Dokument.',
    receiptGenesisLabel: 'Genesis-Datei (JSON)',
    receiptGenesisHint: 'Die Genesis-Datei der Kette, wie sie die Kommunen veröffentlichen.',
    offlineIdleTitle: 'Noch keine Quittung geprüft',
    offlineIdleLead: 'Wählen Sie die Quittung und die Genesis-Datei. Die Prüfung beginnt, sobald beide gewählt sind.',
    offlineWaitGenesis: 'Bitte wählen Sie jetzt noch die Genesis-Datei.',
    offlineWaitReceipt: 'Bitte wählen Sie jetzt noch die Quittung.',

    // Errors
    errUnreachable: 'Der Knoten ist nicht erreichbar. Prüfen Sie Ihre Netzwerkverbindung und versuchen Sie es erneut.',
    errTimeout: 'Der Knoten hat nicht rechtzeitig geantwortet. Bitte versuchen Sie es erneut.',
    errNotJson: 'Der Knoten hat keine lesbare Antwort geliefert (kein JSON, HTTP-Status {status}).',
    errApi: 'Der Knoten hat die Anfrage abgelehnt (HTTP-Status {status}, Code {code}): {message}',
    errApiNoMessage: 'Der Knoten hat die Anfrage abgelehnt (HTTP-Status {status}).',
    errHashEmpty: 'Bitte wählen Sie eine Datei oder geben Sie einen Fingerabdruck ein.',
    errHashLength: 'Der Fingerabdruck muss genau 64 Zeichen lang sein; eingegeben sind {n}.',
    errHashChars: 'Der Fingerabdruck darf nur die Zeichen 0–9 und a–f enthalten.',
    errSaltLength: 'Der Salt muss genau 32 Zeichen lang sein; eingegeben sind {n}.',
    errSaltChars: 'Der Salt darf nur die Zeichen 0–9 und a–f enthalten.',
    errFileRead: 'Die Datei „{name}“ konnte nicht gelesen werden. Bitte wählen Sie sie erneut.',
    errHash: 'Der Fingerabdruck konnte nicht berechnet werden: {message}',
    errKey: 'Der Schlüssel im Register konnte nicht berechnet werden: {message}',
    errNoGenesis: 'Ohne Genesis ist keine Prüfung möglich. Laden Sie im Abschnitt „Vertrauensanker (Genesis)“ eine Genesis-Datei aus verlässlicher Quelle.',
    errReceiptGenesis: 'Die Genesis-Datei „{name}“ ist ungültig: {message}',
    errVerifierMissing: 'Das Prüfprogramm dieser Seite konnte nicht geladen werden. Bitte laden Sie die Seite neu.',
    errInternal: 'Unerwarteter Fehler: {message}',

    // How it works
    helpHeading: 'So funktioniert die Prüfung',
    help1: 'Ihr Browser berechnet den SHA-256-Fingerabdruck der Datei. Die Datei selbst wird nicht hochgeladen.',
    help2:
      'Der Knoten liefert einen Nachweis: den Eintrag zum Dokument oder den Beleg, dass es keinen gibt, den Merkle-Pfad dorthin und die Unterschriften der Validatoren der Kommunen.',
    help3:
      'Ihr Browser rechnet den Nachweis gegen die Genesis nach. Nur wenn Validatoren mit mehr als zwei Dritteln der Stimmen unterschrieben haben, gilt das Ergebnis als nachgewiesen – dem einzelnen Server müssen Sie nicht vertrauen.',
    help4: 'Das Ergebnis belegt Herkunft und Bestand eines Dokuments, nicht die inhaltliche Richtigkeit.',
    footerText:
      'GovChain – gemeinsames Dokumentenregister der beteiligten Kommunen. Diese Seite setzt keine Cookies und lädt keine fremden Inhalte. In Ihrem Browser gespeichert werden nur der Vertrauensanker und Ihre Sprachwahl.',
  },

  en: {
    pageTitle: 'Check a document – GovChain',
    langSwitch: 'Deutsch',
    langSwitchLang: 'de',
    langSwitchLabel: 'Auf Deutsch umschalten',
    skipLink: 'Skip to content',
    siteName: 'GovChain',
    siteTagline: 'Document check of the participating municipalities',
    h1: 'Check a document',
    intro:
      'Check whether a document issued by a participating municipality is genuine and still in force – for example a birth certificate, a building permit or a parking permit. Nothing needs to be installed.',
    insecureContext:
      'This page was not loaded over a secure connection (HTTPS). Many browsers then withhold the cryptographic functions it needs; the check may fail.',

    onlineHeading: 'Check a document online',
    qrNoticeTitle: 'Check via QR code',
    qrNoticeText:
      'You opened a check link from a QR code. The fingerprint it contains is checked right away – you do not need the file for that. If you also choose the file, the page compares it with the QR code.',
    qrMatchYes: 'The chosen file matches the QR code: the fingerprint is the same.',
    qrMatchNo:
      'The chosen file does NOT match the QR code: its fingerprint is different. The result applies to the file, not to the QR code.',
    qrSaltDropped: 'The salt from the QR code does not belong to this file and was not used.',
    qrInvalid:
      'The check link does not contain a valid fingerprint. Expected are 64 hexadecimal characters, optionally followed by “.” and a 32-character salt.',
    fileStepHeading: 'Check a file',
    dropTitle: 'Choose a file',
    dropHint: 'or drop it here',
    privacy: 'The file never leaves your computer — only its SHA-256 fingerprint is computed.',
    privacyMore:
      'Only this fingerprint is sent to the node for the look-up – with a salt, only the key derived from it.',
    fileChosen: 'Chosen: {name} ({size})',
    hashStepHeading: 'Or enter a fingerprint',
    hashLabel: 'SHA-256 fingerprint',
    hashHint: '64 characters from 0–9 and a–f, e.g. from a message of the issuing office.',
    saltLabel: 'Salt (only if given)',
    saltHint:
      'Some documents – such as certificates or parking permits with personal data – are anchored with a salt: a random value of 32 characters (0–9, a–f) printed next to the QR code or given to you by the issuing office. It keeps anyone without the document from looking up whether it exists. If the document shows no salt, leave this field empty.',
    checkButton: 'Check fingerprint',

    idleTitle: 'Nothing checked yet',
    idleLead: 'Choose a file or enter a fingerprint. The result appears here.',
    hashingTitle: 'Computing the fingerprint …',
    hashingLead: 'Your browser computes the SHA-256 fingerprint of the file. The file is not uploaded.',
    checkingTitle: 'Checking …',
    checkingLead: 'The proof is fetched from the node and recomputed in your browser.',
    offlineCheckingLead: 'The receipt is recomputed in your browser, without the network.',

    verdictValid: 'Valid',
    verdictRevoked: 'Revoked',
    verdictSuperseded: 'Superseded',
    verdictUnknown: 'Unknown',
    verdictExpired: 'Expired',
    verdictNotYetValid: 'Not yet valid',
    verdictInvalid: 'Proof invalid',
    verdictStale: 'Proof out of date',
    verdictError: 'Check not possible',
    verdictAnchored: 'Anchored',

    leadValid: 'The document is genuine and valid – as of block {height}.',
    leadValidBy: 'The document is genuine and valid. Issued by {authority} – as of block {height}.',
    leadRevoked: 'The document was revoked and is no longer in force. Reason: {reason}.',
    leadSuperseded: 'The document was replaced by a newer document and is no longer in force. The new document is the one that counts.',
    leadUnknown: 'No document with this fingerprint is anchored – proven as of block {height}.',
    leadExpired: 'The document is genuine, but its validity ended on {date}.',
    leadExpiredNoDate: 'The document is genuine, but its validity has ended.',
    leadNotYetValid: 'The document is genuine, but it is only valid from {date}.',
    leadNotYetValidNoDate: 'The document is genuine, but it is not valid yet.',
    leadInvalid: 'The node’s answer failed the check. Do not trust this answer.',
    leadStale: 'Proof out of date — the node did not deliver a recent block.',
    leadPinMismatch: 'The node serves a different genesis than the one stored in your browser. Do not trust its answers.',
    leadAnchoredV1: 'The document was provably anchored in block {height}.',

    unknownMeaning:
      'This means: up to and including block {height}, this document was never anchored. This is proven, not merely “not found”.',
    unknownSaltHint:
      'Salted documents can only be found with their salt. The salt is printed next to the QR code, or the issuing office can tell you.',
    unknownSaltGivenHint: 'You entered a salt. Check that it was typed correctly.',
    unknownSaltedTypes: 'Anchored with a salt: {types}.',
    unknownFileHint:
      'Even a small change to the file – saving it again, or printing it to a new PDF – gives a different fingerprint. Check the original file.',
    invalidWarning:
      'The result neither confirms nor refutes the document. Try again later, use another node, or ask the issuing office.',
    staleDetail:
      'The block delivered is {age} old; at most {max} is accepted. The result therefore counts as not proven. Try again shortly.',
    pinMismatchHint:
      'If the municipalities really published a new genesis, load that file in the section “Trust anchor (genesis)”.',
    subjectMismatch: 'The node delivered a proof for a different document than the one asked for.',
    receiptV1:
      'Receipt version 1: it proves the anchoring only (in block {height}). Whether the document was revoked or superseded later, only an online check shows.',
    receiptV2:
      'Receipt version 2: it proves the status of the document as of block {height} ({time}). Later changes are not included.',
    offlineNoNetwork: 'No network request was made for this check.',

    docHeading: 'About the document',
    statusHeadingRevoked: 'Revocation',
    statusHeadingSuperseded: 'Replacement',
    proofHeading: 'Proof',
    failureHeading: 'What is wrong',
    technicalSummary: 'Technical details',
    factIssuedBy: 'Issued by',
    factDocType: 'Document type',
    factAnchored: 'Anchored',
    factAnchoredValue: 'in block {height} on {time}',
    factAnchoredBlock: 'in block {height}',
    factValidFrom: 'Valid from',
    factValidUntil: 'Valid until',
    factReference: 'File reference (SHA-256)',
    factSupersedes: 'Replaces the earlier document',
    factReason: 'Reason',
    factEffective: 'Effective from',
    factRecorded: 'Recorded',
    factRecordedValue: 'in block {height}',
    factSuccessor: 'Replaced by',
    successorLink: 'Check the successor document',
    previousLink: 'Check the earlier document',
    factProvenBlock: 'Proven state',
    factProvenBlockValue: 'block {height} of {time} ({age})',
    factSigners: 'Signed by',
    factSignersValue: '{names} – {signed} of {total} votes',
    factVotes: '{signed} of {total} votes',
    factDocumentHash: 'Fingerprint (SHA-256)',
    factReceiptDocument: 'Fingerprint in the receipt',
    factLedgerKey: 'Key in the register (with salt)',
    factSalt: 'Salt',
    factOrigin: 'Checked via',
    originQr: 'QR code or check link',
    originFile: 'the chosen file',
    originTyped: 'the fingerprint entered',
    originReceipt: 'receipt (without network)',
    factFile: 'File',
    factFileValue: '{name} ({size})',
    factCheckedAt: 'Checked on',
    factChain: 'Chain',
    factGenesisHash: 'Genesis hash',
    factReceiptVersion: 'Kind of receipt',
    receiptVersion1: 'version 1 – anchoring only',
    receiptVersion2: 'version 2 – status as of a block',
    factGenesisUsed: 'Genesis used',
    pinCompareMatch: 'matches the trust anchor stored in your browser',
    pinCompareDiffers: 'differs from the trust anchor stored in your browser for this chain!',
    pinCompareNone: 'no trust anchor for this chain is stored in your browser',
    factFailedCheck: 'Failed check',
    factFailReason: 'Reason',
    factPinned: 'Stored trust anchor',
    factServed: 'Served by the node',
    factAnchorTx: 'Anchoring transaction',
    factStatusTx: 'Status change transaction',
    factClerk: 'Clerk key',
    factStatusClerk: 'Clerk key (status change)',
    factCosigner: 'Co-signing clerk key (four eyes)',
    factStatusCosigner: 'Co-signing clerk key (status change)',
    factAuthorityId: 'Authority id',
    factSubject: 'Key (subject)',
    none: '–',

    checks: {
      format: 'Form of the answer',
      genesis: 'Genesis (chain)',
      header: 'Block header',
      commit: 'Validator signatures',
      validator_sets: 'Validator set changes since the genesis',
      state_path: 'State path (Merkle proof)',
      record: 'Document record',
      inclusion: 'Inclusion in the block',
      transaction: 'Transaction',
      subject: 'Document asked for',
      pin: 'Stored trust anchor',
    },

    reasons: {
      withdrawal: 'withdrawal (Widerruf, § 49 VwVfG)',
      annulment: 'annulment (Rücknahme, § 48 VwVfG)',
      correction: 'correction (Berichtigung, § 42 VwVfG)',
      'issued-in-error': 'issued in error',
      settled: 'settled (Erledigung, § 43(2) VwVfG)',
    },
    reasonUnknown: 'not given ({code})',

    docTypes: {
      'birth-certificate': 'Birth certificate',
      'business-registration': 'Business registration',
      'building-permit': 'Building permit',
      'residence-confirmation': 'Confirmation of residence',
      'parking-permit': 'Parking permit',
    },

    ageJustNow: 'just now',
    ageSeconds: '{n} s ago',
    ageMinutes: '{n} min ago',
    ageHours: '{n} h ago',
    ageDay: '1 day ago',
    ageDays: '{n} days ago',
    ageFuture: 'time stamp lies {d} in the future',
    durSeconds: '{n} s',
    durMinutes: '{n} min',
    durHours: '{n} h',
    durDay: '1 day',
    durDays: '{n} days',

    reportLink: 'Verification report (PDF)',
    reportHint: 'The node produces the report with the same facts and the proof attached, for your records.',

    genesisHeading: 'Trust anchor (genesis)',
    genesisIntro:
      'Every check is recomputed against the chain’s genesis file: it fixes which validators – the municipalities’ data centres – may sign. This page stores the genesis hash in your browser on the first visit (“pin”) and reports any later difference.',
    genesisCompare:
      'Compare this genesis hash with the one the participating municipalities publish. If it matches, the result of a check does not depend on this server being honest.',
    genesisChainLabel: 'Chain',
    genesisHashLabel: 'Genesis hash',
    genesisValidatorsLabel: 'Validators',
    genesisValidatorsValue: '{names} ({count} validators, {power} votes)',
    genesisSourceLabel: 'Source',
    sourceNode: 'served by this node',
    sourceFile: 'from the file “{name}”',
    genesisLoading: 'Loading the genesis …',
    pinNew:
      'Pinned now: this genesis was just stored in your browser as the trust anchor. Compare the hash once with the municipalities’ publication.',
    pinMatch: 'Matches the trust anchor stored in your browser.',
    pinReplaced: 'Pinned now: the genesis file you loaded replaces the previous trust anchor.',
    pinUnavailable:
      'The trust anchor could not be stored because browser storage is not available. Compare the hash yourself on every visit.',
    pinMismatch:
      'Warning: this node serves a different genesis than the one stored in your browser. Checks through this node are refused.',
    pinOtherChains:
      'Note: this browser holds trust anchors for other chains ({list}). Make sure you are using the right check page.',
    genesisFailed: 'The genesis could not be loaded: {message}',
    genesisFailedHint: 'Without a genesis no check is possible. Load a genesis file from a reliable source below.',
    genesisUnreachable: 'The node cannot be reached.',
    genesisFileLabel: 'Load a genesis file from another source',
    genesisFileHint:
      'For example from your municipality’s website. It is then used for checks and, after a confirmation, replaces the stored trust anchor.',
    confirmReplacePin:
      'The genesis file “{name}” for chain {chain} has the hash\n{new}\n\nYour browser has stored so far\n{old}\n\nMake this file the new trust anchor?',
    genesisFileRejected: 'The genesis file “{name}” was not adopted; the previous trust anchor stays.',
    genesisFileInvalid: 'The file “{name}” is not a valid genesis file: {message}',
    genesisFileLoaded: 'The genesis file “{name}” is now used for checks.',

    offlineHeading: 'Check without network',
    offlineIntro:
      'With a receipt (JSON file) and the genesis file published by the municipalities you can check a document with no network connection at all. No request is sent; both files stay on your computer.',
    receiptLabel: 'Receipt (JSON file)',
    receiptHint: 'You get the receipt from the issuing office or together with the document.',
    receiptGenesisLabel: 'Genesis file (JSON)',
    receiptGenesisHint: 'The chain’s genesis file as published by the municipalities.',
    offlineIdleTitle: 'No receipt checked yet',
    offlineIdleLead: 'Choose the receipt and the genesis file. The check starts once both are chosen.',
    offlineWaitGenesis: 'Now please choose the genesis file as well.',
    offlineWaitReceipt: 'Now please choose the receipt as well.',

    errUnreachable: 'The node cannot be reached. Check your network connection and try again.',
    errTimeout: 'The node did not answer in time. Please try again.',
    errNotJson: 'The node gave no readable answer (not JSON, HTTP status {status}).',
    errApi: 'The node refused the request (HTTP status {status}, code {code}): {message}',
    errApiNoMessage: 'The node refused the request (HTTP status {status}).',
    errHashEmpty: 'Please choose a file or enter a fingerprint.',
    errHashLength: 'The fingerprint must be exactly 64 characters long; {n} were entered.',
    errHashChars: 'The fingerprint may only contain the characters 0–9 and a–f.',
    errSaltLength: 'The salt must be exactly 32 characters long; {n} were entered.',
    errSaltChars: 'The salt may only contain the characters 0–9 and a–f.',
    errFileRead: 'The file “{name}” could not be read. Please choose it again.',
    errHash: 'The fingerprint could not be computed: {message}',
    errKey: 'The key in the register could not be computed: {message}',
    errNoGenesis: 'Without a genesis no check is possible. Load a genesis file from a reliable source in the section “Trust anchor (genesis)”.',
    errReceiptGenesis: 'The genesis file “{name}” is invalid: {message}',
    errVerifierMissing: 'The checking program of this page could not be loaded. Please reload the page.',
    errInternal: 'Unexpected error: {message}',

    helpHeading: 'How the check works',
    help1: 'Your browser computes the SHA-256 fingerprint of the file. The file itself is not uploaded.',
    help2:
      'The node delivers a proof: the document’s record or the evidence that there is none, the Merkle path to it, and the signatures of the municipalities’ validators.',
    help3:
      'Your browser recomputes the proof against the genesis. Only if validators holding more than two thirds of the votes signed does the result count as proven – you need not trust the single server.',
    help4: 'The result proves where a document comes from and that it exists, not that its content is correct.',
    footerText:
      'GovChain – joint document register of the participating municipalities. This page sets no cookies and loads no outside content. Only the trust anchor and your language choice are stored in your browser.',
  },
};
