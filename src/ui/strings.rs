//! Every user-visible string of the components, from one table keyed by id (STYLE §11).
//!
//! English, Spanish, German and Arabic are built in. The locale is global ([`set_locale`]) or per
//! component (a `locale` prop, the elements' `lang` attribute); [`set_strings`] overrides any key for
//! a locale at run time. Both live in thread-local signals, so every mounted component re-renders
//! when they change (Leptos contexts do not cross custom-element roots).
//!
//! Hand-rolled rather than `leptos_i18n`: that crate costs ~18 KB gzip and cannot override a key
//! at run time. Numbers and dates go through `Intl` (see [`super::format`]), so no locale data is
//! compiled in.

use std::collections::HashMap;

use leptos::prelude::*;

/// The built-in locales, in the column order of [`TABLE`].
pub const LOCALES: [&str; 4] = ["en", "es", "de", "ar"];

/// `(key, [en, es, de, ar])`. `{name}` marks a placeholder filled by [`Strings::tf`].
pub const TABLE: &[(&str, [&str; 4])] = &[
    (
        "common.retry",
        [
            "Try again",
            "Reintentar",
            "Erneut versuchen",
            "حاول مرة أخرى",
        ],
    ),
    ("common.copy", ["Copy", "Copiar", "Kopieren", "نسخ"]),
    (
        "common.copied",
        ["Copied", "Copiado", "Kopiert", "تم النسخ"],
    ),
    (
        "common.working",
        ["Working…", "Procesando…", "Wird bearbeitet…", "جارٍ العمل…"],
    ),
    (
        "error.passkey_unsupported",
        [
            "This browser cannot use passkeys on this page. Open it in a current browser over HTTPS.",
            "Este navegador no puede usar llaves de acceso en esta página. Ábrela en un navegador actual con HTTPS.",
            "Dieser Browser kann auf dieser Seite keine Passkeys verwenden. Öffnen Sie sie in einem aktuellen Browser über HTTPS.",
            "لا يمكن لهذا المتصفح استخدام مفاتيح المرور في هذه الصفحة. افتحها في متصفح حديث عبر HTTPS.",
        ],
    ),
    (
        "error.passkey_cancelled",
        [
            "The passkey request was cancelled or timed out. Nothing was changed.",
            "La solicitud de la llave de acceso se canceló o caducó. No se cambió nada.",
            "Die Passkey-Anfrage wurde abgebrochen oder ist abgelaufen. Es wurde nichts geändert.",
            "أُلغي طلب مفتاح المرور أو انتهت مهلته. لم يتغير شيء.",
        ],
    ),
    (
        "error.passkey_exists",
        [
            "This device already has a passkey for this account. Sign in instead.",
            "Este dispositivo ya tiene una llave de acceso para esta cuenta. Inicia sesión.",
            "Dieses Gerät hat bereits einen Passkey für dieses Konto. Melden Sie sich stattdessen an.",
            "يحتوي هذا الجهاز بالفعل على مفتاح مرور لهذا الحساب. سجّل الدخول بدلاً من ذلك.",
        ],
    ),
    (
        "error.passkey_security",
        [
            "Passkeys are not allowed here: the site's passkey settings do not match its address.",
            "Las llaves de acceso no están permitidas aquí: la configuración del sitio no coincide con su dirección.",
            "Passkeys sind hier nicht erlaubt: Die Passkey-Einstellungen der Seite passen nicht zu ihrer Adresse.",
            "مفاتيح المرور غير مسموح بها هنا: إعدادات الموقع لا تطابق عنوانه.",
        ],
    ),
    (
        "error.passkey_device",
        [
            "No passkey on this device can do what was asked. Try another device.",
            "Ninguna llave de acceso de este dispositivo puede hacerlo. Prueba con otro dispositivo.",
            "Kein Passkey auf diesem Gerät kann das. Versuchen Sie ein anderes Gerät.",
            "لا يوجد مفتاح مرور على هذا الجهاز يمكنه تنفيذ الطلب. جرّب جهازًا آخر.",
        ],
    ),
    (
        "error.network",
        [
            "The wallet service could not be reached. Check your connection and try again.",
            "No se pudo contactar con el servicio de la billetera. Comprueba tu conexión e inténtalo de nuevo.",
            "Der Wallet-Dienst ist nicht erreichbar. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.",
            "تعذّر الوصول إلى خدمة المحفظة. تحقّق من اتصالك وحاول مرة أخرى.",
        ],
    ),
    (
        "error.server",
        [
            "The wallet service refused the request: {detail}",
            "El servicio de la billetera rechazó la solicitud: {detail}",
            "Der Wallet-Dienst hat die Anfrage abgelehnt: {detail}",
            "رفضت خدمة المحفظة الطلب: {detail}",
        ],
    ),
    (
        "error.config",
        [
            "This component is not set up: {detail}",
            "Este componente no está configurado: {detail}",
            "Diese Komponente ist nicht eingerichtet: {detail}",
            "هذا المكوّن غير مُعدّ: {detail}",
        ],
    ),
    (
        "error.other",
        [
            "Something went wrong: {detail}",
            "Algo salió mal: {detail}",
            "Etwas ist schiefgelaufen: {detail}",
            "حدث خطأ: {detail}",
        ],
    ),
    (
        "signup.title",
        [
            "Create your wallet",
            "Crea tu billetera",
            "Wallet erstellen",
            "أنشئ محفظتك",
        ],
    ),
    (
        "signup.intro",
        [
            "A passkey on this device protects your wallet. Every transaction also needs the platform's approval, and you can always export your wallet on your own.",
            "Una llave de acceso en este dispositivo protege tu billetera. Cada transacción también necesita la aprobación de la plataforma, y siempre puedes exportar tu billetera por tu cuenta.",
            "Ein Passkey auf diesem Gerät schützt Ihr Wallet. Jede Transaktion braucht zusätzlich die Freigabe der Plattform, und Sie können Ihr Wallet jederzeit selbst exportieren.",
            "يحمي مفتاح مرور على هذا الجهاز محفظتك. تحتاج كل معاملة أيضًا إلى موافقة المنصة، ويمكنك دائمًا تصدير محفظتك بنفسك.",
        ],
    ),
    (
        "signup.name_label",
        ["Your name", "Tu nombre", "Ihr Name", "اسمك"],
    ),
    (
        "signup.name_hint",
        [
            "Shown on your passkey.",
            "Se muestra en tu llave de acceso.",
            "Wird auf Ihrem Passkey angezeigt.",
            "يظهر على مفتاح المرور الخاص بك.",
        ],
    ),
    (
        "signup.name_required",
        [
            "Enter your name.",
            "Escribe tu nombre.",
            "Geben Sie Ihren Namen ein.",
            "أدخل اسمك.",
        ],
    ),
    (
        "signup.submit",
        [
            "Create wallet with a passkey",
            "Crear billetera con llave de acceso",
            "Wallet mit Passkey erstellen",
            "أنشئ المحفظة بمفتاح مرور",
        ],
    ),
    (
        "signup.awaiting_title",
        [
            "Confirm with your passkey",
            "Confirma con tu llave de acceso",
            "Mit Passkey bestätigen",
            "أكّد بمفتاح المرور",
        ],
    ),
    (
        "signup.awaiting_body",
        [
            "Follow your browser's prompt to create a passkey for this wallet.",
            "Sigue las indicaciones del navegador para crear una llave de acceso para esta billetera.",
            "Folgen Sie der Aufforderung Ihres Browsers, um einen Passkey für dieses Wallet zu erstellen.",
            "اتبع تعليمات المتصفح لإنشاء مفتاح مرور لهذه المحفظة.",
        ],
    ),
    (
        "signup.creating_title",
        [
            "Creating your wallet…",
            "Creando tu billetera…",
            "Wallet wird erstellt…",
            "جارٍ إنشاء محفظتك…",
        ],
    ),
    (
        "signup.creating_body",
        [
            "The platform is setting up your wallet with two approvers: you and the platform.",
            "La plataforma está configurando tu billetera con dos aprobadores: tú y la plataforma.",
            "Die Plattform richtet Ihr Wallet mit zwei Freigebenden ein: Ihnen und der Plattform.",
            "تُعدّ المنصة محفظتك بموافِقَين اثنين: أنت والمنصة.",
        ],
    ),
    (
        "signup.done_title",
        [
            "Your wallet is ready",
            "Tu billetera está lista",
            "Ihr Wallet ist bereit",
            "محفظتك جاهزة",
        ],
    ),
    (
        "signup.done_body",
        [
            "Transactions need your passkey and the platform's approval.",
            "Las transacciones necesitan tu llave de acceso y la aprobación de la plataforma.",
            "Transaktionen brauchen Ihren Passkey und die Freigabe der Plattform.",
            "تحتاج المعاملات إلى مفتاح المرور الخاص بك وموافقة المنصة.",
        ],
    ),
    (
        "signup.address",
        ["Address", "Dirección", "Adresse", "العنوان"],
    ),
    (
        "signup.error_title",
        [
            "Your wallet was not created",
            "No se creó tu billetera",
            "Ihr Wallet wurde nicht erstellt",
            "لم يتم إنشاء محفظتك",
        ],
    ),
    (
        "approve.title",
        [
            "Approve transaction",
            "Aprobar transacción",
            "Transaktion freigeben",
            "الموافقة على المعاملة",
        ],
    ),
    (
        "approve.intro",
        [
            "Check every detail. It is read from the transaction itself.",
            "Revisa cada detalle. Se lee de la propia transacción.",
            "Prüfen Sie jedes Detail. Es wird aus der Transaktion selbst gelesen.",
            "تحقّق من كل التفاصيل. إنها مقروءة من المعاملة نفسها.",
        ],
    ),
    ("approve.to", ["To", "Para", "An", "إلى"]),
    (
        "approve.contract_creation",
        [
            "New contract",
            "Contrato nuevo",
            "Neuer Vertrag",
            "عقد جديد",
        ],
    ),
    ("approve.amount", ["Amount", "Importe", "Betrag", "المبلغ"]),
    ("approve.network", ["Network", "Red", "Netzwerk", "الشبكة"]),
    (
        "approve.chain",
        ["Chain {id}", "Cadena {id}", "Chain {id}", "السلسلة {id}"],
    ),
    (
        "approve.nonce",
        ["Nonce", "Nonce", "Nonce", "الرقم التسلسلي"],
    ),
    (
        "approve.gas",
        ["Gas limit", "Límite de gas", "Gaslimit", "حد الغاز"],
    ),
    (
        "approve.max_fee",
        [
            "Max fee per gas",
            "Comisión máx. por gas",
            "Max. Gebühr pro Gas",
            "الحد الأقصى للرسوم لكل غاز",
        ],
    ),
    ("approve.data", ["Data", "Datos", "Daten", "البيانات"]),
    ("approve.data_none", ["None", "Ninguno", "Keine", "لا يوجد"]),
    (
        "approve.data_call",
        [
            "{bytes} bytes, function {selector}",
            "{bytes} bytes, función {selector}",
            "{bytes} Bytes, Funktion {selector}",
            "{bytes} بايت، الدالة {selector}",
        ],
    ),
    (
        "approve.data_bytes",
        [
            "{bytes} bytes",
            "{bytes} bytes",
            "{bytes} Bytes",
            "{bytes} بايت",
        ],
    ),
    (
        "approve.submit",
        [
            "Approve with passkey",
            "Aprobar con llave de acceso",
            "Mit Passkey freigeben",
            "وافق بمفتاح المرور",
        ],
    ),
    (
        "approve.submitting_title",
        [
            "Sending your approval…",
            "Enviando tu aprobación…",
            "Ihre Freigabe wird gesendet…",
            "جارٍ إرسال موافقتك…",
        ],
    ),
    (
        "approve.submitting_body",
        [
            "Confirm with your passkey if your browser asks.",
            "Confirma con tu llave de acceso si el navegador lo pide.",
            "Bestätigen Sie mit Ihrem Passkey, wenn der Browser fragt.",
            "أكّد بمفتاح المرور إذا طلب المتصفح ذلك.",
        ],
    ),
    (
        "approve.pending_title",
        [
            "Pending platform approval",
            "Pendiente de aprobación de la plataforma",
            "Freigabe durch die Plattform ausstehend",
            "بانتظار موافقة المنصة",
        ],
    ),
    (
        "approve.pending_body",
        [
            "You approved. The platform must approve too before this transaction is signed.",
            "Has aprobado. La plataforma también debe aprobar antes de que se firme la transacción.",
            "Sie haben freigegeben. Auch die Plattform muss freigeben, bevor die Transaktion signiert wird.",
            "لقد وافقت. يجب أن توافق المنصة أيضًا قبل توقيع هذه المعاملة.",
        ],
    ),
    (
        "approve.votes",
        [
            "{n} of 2 approvals",
            "{n} de 2 aprobaciones",
            "{n} von 2 Freigaben",
            "{n} من 2 موافقات",
        ],
    ),
    (
        "approve.awaited",
        [
            "Waiting for: the platform's co-signer",
            "Esperando: al cofirmante de la plataforma",
            "Wartet auf: den Mitunterzeichner der Plattform",
            "بانتظار: الموقّع المشارك للمنصة",
        ],
    ),
    (
        "approve.elapsed",
        [
            "Waiting for {time}",
            "Esperando desde hace {time}",
            "Wartet seit {time}",
            "الانتظار منذ {time}",
        ],
    ),
    (
        "approve.still_pending",
        [
            "Still waiting for the platform. We keep checking, and nothing will be sent twice.",
            "Aún esperando a la plataforma. Seguimos comprobando y nada se enviará dos veces.",
            "Noch immer wartet die Plattform. Wir prüfen weiter, und nichts wird doppelt gesendet.",
            "ما زلنا ننتظر المنصة. نواصل التحقق، ولن يُرسل شيء مرتين.",
        ],
    ),
    (
        "approve.approved_title",
        [
            "Transaction signed",
            "Transacción firmada",
            "Transaktion signiert",
            "تم توقيع المعاملة",
        ],
    ),
    (
        "approve.approved_body",
        [
            "You and the platform both approved.",
            "Tú y la plataforma habéis aprobado.",
            "Sie und die Plattform haben beide freigegeben.",
            "وافقتَ أنت والمنصة كلاكما.",
        ],
    ),
    (
        "approve.signed_label",
        [
            "Signed transaction",
            "Transacción firmada",
            "Signierte Transaktion",
            "المعاملة الموقّعة",
        ],
    ),
    (
        "approve.rejected_title",
        [
            "The platform declined this transaction",
            "La plataforma rechazó esta transacción",
            "Die Plattform hat diese Transaktion abgelehnt",
            "رفضت المنصة هذه المعاملة",
        ],
    ),
    (
        "approve.reason",
        [
            "Reason: {reason}",
            "Motivo: {reason}",
            "Grund: {reason}",
            "السبب: {reason}",
        ],
    ),
    (
        "approve.no_reason",
        [
            "The platform gave no reason.",
            "La plataforma no dio ningún motivo.",
            "Die Plattform hat keinen Grund genannt.",
            "لم تذكر المنصة سببًا.",
        ],
    ),
    (
        "approve.failed_title",
        [
            "The transaction could not be signed",
            "No se pudo firmar la transacción",
            "Die Transaktion konnte nicht signiert werden",
            "تعذّر توقيع المعاملة",
        ],
    ),
    (
        "approve.invalid",
        [
            "This transaction cannot be read, so it cannot be approved: {detail}",
            "Esta transacción no se puede leer, así que no se puede aprobar: {detail}",
            "Diese Transaktion ist nicht lesbar und kann daher nicht freigegeben werden: {detail}",
            "لا يمكن قراءة هذه المعاملة، لذا لا يمكن الموافقة عليها: {detail}",
        ],
    ),
    (
        "approve.missing",
        [
            "There is no transaction to approve.",
            "No hay ninguna transacción que aprobar.",
            "Es gibt keine Transaktion zum Freigeben.",
            "لا توجد معاملة للموافقة عليها.",
        ],
    ),
    (
        "export.title",
        [
            "Export your wallet",
            "Exporta tu billetera",
            "Wallet exportieren",
            "صدّر محفظتك",
        ],
    ),
    (
        "export.warning",
        [
            "Your recovery phrase gives full control of your wallet. Anyone who sees it can take your funds. Reveal it only where no one can see your screen, and never share it.",
            "Tu frase de recuperación da control total de tu billetera. Quien la vea puede llevarse tus fondos. Muéstrala solo donde nadie vea tu pantalla y nunca la compartas.",
            "Ihre Wiederherstellungsphrase gibt volle Kontrolle über Ihr Wallet. Wer sie sieht, kann Ihr Guthaben nehmen. Zeigen Sie sie nur an, wo niemand Ihren Bildschirm sieht, und geben Sie sie nie weiter.",
            "عبارة الاسترداد تمنح التحكم الكامل في محفظتك. أي شخص يراها يمكنه أخذ أموالك. اعرضها فقط حيث لا يرى أحد شاشتك، ولا تشاركها أبدًا.",
        ],
    ),
    (
        "export.confirm",
        [
            "I understand that anyone with this phrase controls my wallet.",
            "Entiendo que quien tenga esta frase controla mi billetera.",
            "Ich verstehe, dass jeder mit dieser Phrase mein Wallet kontrolliert.",
            "أفهم أن أي شخص يملك هذه العبارة يتحكم في محفظتي.",
        ],
    ),
    (
        "export.submit",
        [
            "Export with passkey",
            "Exportar con llave de acceso",
            "Mit Passkey exportieren",
            "صدّر بمفتاح المرور",
        ],
    ),
    (
        "export.working_title",
        [
            "Exporting on this device…",
            "Exportando en este dispositivo…",
            "Export auf diesem Gerät…",
            "جارٍ التصدير على هذا الجهاز…",
        ],
    ),
    (
        "export.working_body",
        [
            "Confirm with your passkey. The phrase is decrypted here, never on a server.",
            "Confirma con tu llave de acceso. La frase se descifra aquí, nunca en un servidor.",
            "Bestätigen Sie mit Ihrem Passkey. Die Phrase wird hier entschlüsselt, nie auf einem Server.",
            "أكّد بمفتاح المرور. تُفك العبارة هنا، وليس على أي خادم.",
        ],
    ),
    (
        "export.ready_title",
        [
            "Your recovery phrase is ready",
            "Tu frase de recuperación está lista",
            "Ihre Wiederherstellungsphrase ist bereit",
            "عبارة الاسترداد جاهزة",
        ],
    ),
    (
        "export.ready_body",
        [
            "It was verified and decrypted on this device, and stays hidden until you reveal it.",
            "Se verificó y descifró en este dispositivo, y sigue oculta hasta que la muestres.",
            "Sie wurde auf diesem Gerät geprüft und entschlüsselt und bleibt verborgen, bis Sie sie anzeigen.",
            "تم التحقق منها وفك تشفيرها على هذا الجهاز، وتبقى مخفية حتى تكشفها.",
        ],
    ),
    (
        "export.reveal",
        [
            "Reveal phrase",
            "Mostrar frase",
            "Phrase anzeigen",
            "اكشف العبارة",
        ],
    ),
    (
        "export.hide",
        [
            "Hide phrase",
            "Ocultar frase",
            "Phrase verbergen",
            "أخفِ العبارة",
        ],
    ),
    (
        "export.copy",
        [
            "Copy phrase",
            "Copiar frase",
            "Phrase kopieren",
            "انسخ العبارة",
        ],
    ),
    (
        "export.copied",
        [
            "Copied. The clipboard will be cleared in 60 seconds.",
            "Copiada. El portapapeles se vaciará en 60 segundos.",
            "Kopiert. Die Zwischenablage wird in 60 Sekunden geleert.",
            "تم النسخ. ستُمسح الحافظة بعد 60 ثانية.",
        ],
    ),
    (
        "export.phrase_label",
        [
            "Recovery phrase",
            "Frase de recuperación",
            "Wiederherstellungsphrase",
            "عبارة الاسترداد",
        ],
    ),
    (
        "export.error_title",
        [
            "The export did not complete",
            "La exportación no se completó",
            "Der Export wurde nicht abgeschlossen",
            "لم يكتمل التصدير",
        ],
    ),
    (
        "export.verify_failed",
        [
            "The exported data could not be verified and was discarded.",
            "Los datos exportados no se pudieron verificar y se descartaron.",
            "Die exportierten Daten konnten nicht geprüft werden und wurden verworfen.",
            "تعذّر التحقق من البيانات المصدّرة وتم تجاهلها.",
        ],
    ),
];

thread_local! {
    static LOCALE: ArcRwSignal<String> = ArcRwSignal::new(initial_locale());
    static OVERRIDES: ArcRwSignal<HashMap<String, HashMap<String, String>>> = ArcRwSignal::new(HashMap::new());
}

fn initial_locale() -> String {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .and_then(|e| e.get_attribute("lang"))
        .unwrap_or_else(|| "en".to_owned())
}

/// Sets the global locale (a BCP 47 tag such as `es` or `de-CH`); every component without its own
/// locale re-renders.
pub fn set_locale(locale: &str) {
    LOCALE.with(|l| l.set(locale.to_owned()));
}

/// The global locale (tracked: a view that calls this re-renders when it changes).
#[must_use]
pub fn locale() -> String {
    LOCALE.with(|l| l.get())
}

/// Overrides keys for `locale` at run time (`{"signup.title": "Open your account"}`); an unknown
/// key is kept too, so a host can also add a whole new locale.
pub fn set_strings(locale: &str, strings: impl IntoIterator<Item = (String, String)>) {
    OVERRIDES.with(|o| {
        o.update(|map| map.entry(primary(locale)).or_default().extend(strings));
    });
}

/// Whether `key` is one of the built-in keys.
#[must_use]
pub fn is_key(key: &str) -> bool {
    TABLE.iter().any(|(k, _)| *k == key)
}

/// The language subtag of a BCP 47 tag, lower-cased (`de-CH` → `de`).
fn primary(locale: &str) -> String {
    locale
        .split(['-', '_'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// Whether a locale is written right to left.
#[must_use]
pub fn is_rtl(locale: &str) -> bool {
    matches!(
        primary(locale).as_str(),
        "ar" | "he" | "fa" | "ur" | "ps" | "yi"
    )
}

/// The text of `key` in `locale`: a run-time override, else the built-in table, else English,
/// else the key itself (so a missing key shows up instead of vanishing). Tracked.
#[must_use]
pub fn text(locale: &str, key: &str) -> String {
    let lang = primary(locale);
    let overridden =
        OVERRIDES.with(|o| o.with(|map| map.get(&lang).and_then(|m| m.get(key)).cloned()));
    if let Some(s) = overridden {
        return s;
    }
    let column = LOCALES.iter().position(|l| *l == lang).unwrap_or(0);
    TABLE
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, row)| row.get(column).or(row.first()).copied().unwrap_or(key))
        .unwrap_or(key)
        .to_owned()
}

/// [`text`] with `{name}` placeholders filled.
#[must_use]
pub fn text_with(locale: &str, key: &str, args: &[(&str, &str)]) -> String {
    let mut s = text(locale, key);
    for (name, value) in args {
        s = s.replace(&format!("{{{name}}}"), value);
    }
    s
}

/// A component's locale: its own when set, else the global one. Tracked.
#[derive(Debug, Clone, Copy)]
pub struct Strings {
    own: Signal<Option<String>>,
}

impl Strings {
    /// Strings for a component whose own locale is `own` (`None`: follow the global locale).
    #[must_use]
    pub fn new(own: Signal<Option<String>>) -> Self {
        Self { own }
    }

    /// The effective locale.
    #[must_use]
    pub fn locale(&self) -> String {
        self.own
            .get()
            .filter(|l| !l.trim().is_empty())
            .unwrap_or_else(locale)
    }

    /// The text of `key`.
    #[must_use]
    pub fn t(&self, key: &str) -> String {
        text(&self.locale(), key)
    }

    /// The text of `key` as a view or attribute value that follows the locale. Every key gets the
    /// same closure type, so Leptos's rendering code for it is compiled once rather than once per
    /// `s.text(key)` closure (each closure is its own type).
    pub fn text(self, key: &'static str) -> impl Fn() -> String + Copy + Send + Sync + 'static {
        move || self.t(key)
    }

    /// The text of `key` with placeholders filled.
    #[must_use]
    pub fn tf(&self, key: &str, args: &[(&str, &str)]) -> String {
        text_with(&self.locale(), key, args)
    }

    /// `rtl` or `ltr` for the effective locale.
    #[must_use]
    pub fn dir(&self) -> &'static str {
        if is_rtl(&self.locale()) { "rtl" } else { "ltr" }
    }
}
