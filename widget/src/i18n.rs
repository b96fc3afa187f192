//! The widget's words, in every language the ETN widget accepts (de, en, es, fr,
//! hi, id, it, jp, kh, ko, nl, pt, pt-br, ro, ru, th, tr, ur, vn, zh) and their
//! standard BCP-47 names (ja, km, vi, pt-BR, zh-Hans...). Urdu is right to left.
//!
//! Every sentence is written next to its name (`pay: "..."`), and the macro
//! below accepts the names only in the order of [`Text`]: a missing, misspelt or
//! misplaced sentence does not compile. The macro lays all languages out as one
//! string (languages separated by RS, sentences by US), which costs the widget
//! no pointer per sentence; [`Lang::text`] finds a sentence by walking it.

/// One sentence of the widget, in whatever language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text {
    /// Under the QR code.
    Caption = 1,
    /// The pay link.
    Pay,
    /// The copy button.
    Copy,
    /// Announced after copying.
    Copied,
    /// Shown instead of a QR code for a bad payment string.
    Invalid,
    Waiting,
    Paid,
    Expired,
    /// Before the countdown (`Expires in 12:34`).
    ExpiresIn,
    /// While the worker cannot be reached.
    Retrying,
    /// The QR code's accessible name; `{amount}`, `{outlet}`, `{id}` are filled in.
    QrLabel,
}

/// Every sentence of [`Text`], for the tests.
#[cfg(test)]
pub const ALL: [Text; 11] = [
    Text::Caption,
    Text::Pay,
    Text::Copy,
    Text::Copied,
    Text::Invalid,
    Text::Waiting,
    Text::Paid,
    Text::Expired,
    Text::ExpiresIn,
    Text::Retrying,
    Text::QrLabel,
];

const RS: u8 = 0x1e;
const US: u8 = 0x1f;

macro_rules! languages {
    ($(
        $codes:literal => {
            tag: $tag:literal,
            rtl: $rtl:literal,
            caption: $caption:literal,
            pay: $pay:literal,
            copy: $copy:literal,
            copied: $copied:literal,
            invalid: $invalid:literal,
            waiting: $waiting:literal,
            paid: $paid:literal,
            expired: $expired:literal,
            expires_in: $expires_in:literal,
            retrying: $retrying:literal,
            qr_label: $qr_label:literal $(,)?
        }
    )*) => {
        /// The codes that select each language (space-separated), one language per RS.
        const CODES: &str = concat!($($codes, "\u{1e}"),*);
        /// Each language's BCP-47 tag, then its sentences in the order of `Text`.
        const TABLE: &str = concat!($(
            $tag, "\u{1f}", $caption, "\u{1f}", $pay, "\u{1f}", $copy, "\u{1f}", $copied, "\u{1f}",
            $invalid, "\u{1f}", $waiting, "\u{1f}", $paid, "\u{1f}", $expired, "\u{1f}",
            $expires_in, "\u{1f}", $retrying, "\u{1f}", $qr_label, "\u{1e}"
        ),*);
        /// Which languages are written right to left.
        const RTL: &[bool] = &[$($rtl),*];
    };
}

// Codes are matched case-insensitively; `pt-br` comes before `pt` so that the
// exact code wins over the primary subtag.
languages! {
    "en" => {
        tag: "en",
        rtl: false,
        caption: "Scan with the Electroneum app to pay",
        pay: "Pay with Electroneum",
        copy: "Copy payment code",
        copied: "Payment code copied",
        invalid: "This payment code is invalid.",
        waiting: "Waiting for payment…",
        paid: "Paid. Thank you!",
        expired: "This payment has expired.",
        expires_in: "Expires in",
        retrying: "Cannot reach the payment server. Retrying…",
        qr_label: "QR code to pay {amount} ETN to outlet {outlet}, payment {id}",
    }
    "de" => {
        tag: "de",
        rtl: false,
        caption: "Zum Bezahlen mit der Electroneum-App scannen",
        pay: "Mit Electroneum bezahlen",
        copy: "Zahlungscode kopieren",
        copied: "Zahlungscode kopiert",
        invalid: "Dieser Zahlungscode ist ungültig.",
        waiting: "Warte auf Zahlung…",
        paid: "Bezahlt. Vielen Dank!",
        expired: "Diese Zahlung ist abgelaufen.",
        expires_in: "Läuft ab in",
        retrying: "Zahlungsserver nicht erreichbar. Neuer Versuch…",
        qr_label: "QR-Code: {amount} ETN an Filiale {outlet} zahlen, Zahlung {id}",
    }
    "es" => {
        tag: "es",
        rtl: false,
        caption: "Escanea con la app de Electroneum para pagar",
        pay: "Pagar con Electroneum",
        copy: "Copiar código de pago",
        copied: "Código de pago copiado",
        invalid: "Este código de pago no es válido.",
        waiting: "Esperando el pago…",
        paid: "Pagado. ¡Gracias!",
        expired: "Este pago ha caducado.",
        expires_in: "Caduca en",
        retrying: "No se puede contactar con el servidor de pagos. Reintentando…",
        qr_label: "Código QR para pagar {amount} ETN al punto de venta {outlet}, pago {id}",
    }
    "fr" => {
        tag: "fr",
        rtl: false,
        caption: "Scannez avec l’app Electroneum pour payer",
        pay: "Payer avec Electroneum",
        copy: "Copier le code de paiement",
        copied: "Code de paiement copié",
        invalid: "Ce code de paiement n’est pas valide.",
        waiting: "En attente du paiement…",
        paid: "Payé. Merci !",
        expired: "Ce paiement a expiré.",
        expires_in: "Expire dans",
        retrying: "Serveur de paiement injoignable. Nouvel essai…",
        qr_label: "Code QR pour payer {amount} ETN au point de vente {outlet}, paiement {id}",
    }
    "hi" => {
        tag: "hi",
        rtl: false,
        caption: "भुगतान के लिए Electroneum ऐप से स्कैन करें",
        pay: "Electroneum से भुगतान करें",
        copy: "भुगतान कोड कॉपी करें",
        copied: "भुगतान कोड कॉपी हो गया",
        invalid: "यह भुगतान कोड अमान्य है।",
        waiting: "भुगतान की प्रतीक्षा…",
        paid: "भुगतान हो गया। धन्यवाद!",
        expired: "यह भुगतान समाप्त हो गया है।",
        expires_in: "समाप्त होने में",
        retrying: "भुगतान सर्वर से संपर्क नहीं हो रहा। फिर से कोशिश…",
        qr_label: "आउटलेट {outlet} को {amount} ETN भुगतान का QR कोड, भुगतान {id}",
    }
    "id" => {
        tag: "id",
        rtl: false,
        caption: "Pindai dengan aplikasi Electroneum untuk membayar",
        pay: "Bayar dengan Electroneum",
        copy: "Salin kode pembayaran",
        copied: "Kode pembayaran disalin",
        invalid: "Kode pembayaran ini tidak valid.",
        waiting: "Menunggu pembayaran…",
        paid: "Lunas. Terima kasih!",
        expired: "Pembayaran ini telah kedaluwarsa.",
        expires_in: "Berakhir dalam",
        retrying: "Server pembayaran tidak terjangkau. Mencoba lagi…",
        qr_label: "Kode QR untuk membayar {amount} ETN ke gerai {outlet}, pembayaran {id}",
    }
    "it" => {
        tag: "it",
        rtl: false,
        caption: "Inquadra con l’app Electroneum per pagare",
        pay: "Paga con Electroneum",
        copy: "Copia il codice di pagamento",
        copied: "Codice di pagamento copiato",
        invalid: "Questo codice di pagamento non è valido.",
        waiting: "In attesa del pagamento…",
        paid: "Pagato. Grazie!",
        expired: "Questo pagamento è scaduto.",
        expires_in: "Scade tra",
        retrying: "Server di pagamento non raggiungibile. Nuovo tentativo…",
        qr_label: "Codice QR per pagare {amount} ETN al punto vendita {outlet}, pagamento {id}",
    }
    "jp ja" => {
        tag: "ja",
        rtl: false,
        caption: "Electroneumアプリでスキャンして支払う",
        pay: "Electroneumで支払う",
        copy: "支払いコードをコピー",
        copied: "支払いコードをコピーしました",
        invalid: "この支払いコードは無効です。",
        waiting: "支払いを待っています…",
        paid: "支払い完了。ありがとうございます！",
        expired: "この支払いは期限切れです。",
        expires_in: "有効期限まで",
        retrying: "決済サーバーに接続できません。再試行中…",
        qr_label: "店舗 {outlet} へ {amount} ETN を支払うQRコード、支払い {id}",
    }
    "kh km" => {
        tag: "km",
        rtl: false,
        caption: "ស្កេនដោយកម្មវិធី Electroneum ដើម្បីបង់ប្រាក់",
        pay: "បង់ប្រាក់ជាមួយ Electroneum",
        copy: "ចម្លងលេខកូដបង់ប្រាក់",
        copied: "បានចម្លងលេខកូដបង់ប្រាក់",
        invalid: "លេខកូដបង់ប្រាក់នេះមិនត្រឹមត្រូវទេ។",
        waiting: "កំពុងរង់ចាំការបង់ប្រាក់…",
        paid: "បានបង់ប្រាក់។ សូមអរគុណ!",
        expired: "ការបង់ប្រាក់នេះបានផុតកំណត់។",
        expires_in: "ផុតកំណត់ក្នុង",
        retrying: "មិនអាចភ្ជាប់ម៉ាស៊ីនមេបង់ប្រាក់បានទេ។ កំពុងព្យាយាមម្តងទៀត…",
        qr_label: "កូដ QR ដើម្បីបង់ {amount} ETN ទៅហាង {outlet} ការបង់ប្រាក់ {id}",
    }
    "ko" => {
        tag: "ko",
        rtl: false,
        caption: "Electroneum 앱으로 스캔하여 결제하세요",
        pay: "Electroneum으로 결제",
        copy: "결제 코드 복사",
        copied: "결제 코드를 복사했습니다",
        invalid: "이 결제 코드는 유효하지 않습니다.",
        waiting: "결제를 기다리는 중…",
        paid: "결제 완료. 감사합니다!",
        expired: "이 결제는 만료되었습니다.",
        expires_in: "만료까지",
        retrying: "결제 서버에 연결할 수 없습니다. 다시 시도 중…",
        qr_label: "매장 {outlet}에 {amount} ETN을 결제하는 QR 코드, 결제 {id}",
    }
    "nl" => {
        tag: "nl",
        rtl: false,
        caption: "Scan met de Electroneum-app om te betalen",
        pay: "Betalen met Electroneum",
        copy: "Betaalcode kopiëren",
        copied: "Betaalcode gekopieerd",
        invalid: "Deze betaalcode is ongeldig.",
        waiting: "Wachten op betaling…",
        paid: "Betaald. Bedankt!",
        expired: "Deze betaling is verlopen.",
        expires_in: "Verloopt over",
        retrying: "Betaalserver onbereikbaar. Opnieuw proberen…",
        qr_label: "QR-code om {amount} ETN te betalen aan vestiging {outlet}, betaling {id}",
    }
    "pt-br" => {
        tag: "pt-BR",
        rtl: false,
        caption: "Escaneie com o app Electroneum para pagar",
        pay: "Pagar com Electroneum",
        copy: "Copiar código de pagamento",
        copied: "Código de pagamento copiado",
        invalid: "Este código de pagamento é inválido.",
        waiting: "Aguardando pagamento…",
        paid: "Pago. Obrigado!",
        expired: "Este pagamento expirou.",
        expires_in: "Expira em",
        retrying: "Não foi possível contatar o servidor de pagamento. Tentando novamente…",
        qr_label: "Código QR para pagar {amount} ETN à loja {outlet}, pagamento {id}",
    }
    "pt" => {
        tag: "pt",
        rtl: false,
        caption: "Digitalize com a app Electroneum para pagar",
        pay: "Pagar com Electroneum",
        copy: "Copiar código de pagamento",
        copied: "Código de pagamento copiado",
        invalid: "Este código de pagamento é inválido.",
        waiting: "A aguardar pagamento…",
        paid: "Pago. Obrigado!",
        expired: "Este pagamento expirou.",
        expires_in: "Expira em",
        retrying: "Não é possível contactar o servidor de pagamento. A tentar de novo…",
        qr_label: "Código QR para pagar {amount} ETN à loja {outlet}, pagamento {id}",
    }
    "ro" => {
        tag: "ro",
        rtl: false,
        caption: "Scanează cu aplicația Electroneum pentru a plăti",
        pay: "Plătește cu Electroneum",
        copy: "Copiază codul de plată",
        copied: "Codul de plată a fost copiat",
        invalid: "Acest cod de plată nu este valid.",
        waiting: "Se așteaptă plata…",
        paid: "Plătit. Mulțumim!",
        expired: "Această plată a expirat.",
        expires_in: "Expiră în",
        retrying: "Serverul de plăți nu răspunde. Se reîncearcă…",
        qr_label: "Cod QR pentru plata a {amount} ETN către magazinul {outlet}, plata {id}",
    }
    "ru" => {
        tag: "ru",
        rtl: false,
        caption: "Отсканируйте в приложении Electroneum, чтобы оплатить",
        pay: "Оплатить через Electroneum",
        copy: "Копировать код оплаты",
        copied: "Код оплаты скопирован",
        invalid: "Этот код оплаты недействителен.",
        waiting: "Ожидание оплаты…",
        paid: "Оплачено. Спасибо!",
        expired: "Срок оплаты истёк.",
        expires_in: "Истекает через",
        retrying: "Сервер оплаты недоступен. Повторная попытка…",
        qr_label: "QR-код для оплаты {amount} ETN в точку {outlet}, платёж {id}",
    }
    "th" => {
        tag: "th",
        rtl: false,
        caption: "สแกนด้วยแอป Electroneum เพื่อชำระเงิน",
        pay: "ชำระเงินด้วย Electroneum",
        copy: "คัดลอกรหัสการชำระเงิน",
        copied: "คัดลอกรหัสการชำระเงินแล้ว",
        invalid: "รหัสการชำระเงินนี้ไม่ถูกต้อง",
        waiting: "กำลังรอการชำระเงิน…",
        paid: "ชำระเงินแล้ว ขอบคุณ!",
        expired: "การชำระเงินนี้หมดอายุแล้ว",
        expires_in: "หมดอายุใน",
        retrying: "ติดต่อเซิร์ฟเวอร์ชำระเงินไม่ได้ กำลังลองใหม่…",
        qr_label: "คิวอาร์โค้ดเพื่อชำระ {amount} ETN ให้ร้าน {outlet} การชำระเงิน {id}",
    }
    "tr" => {
        tag: "tr",
        rtl: false,
        caption: "Ödemek için Electroneum uygulamasıyla tarayın",
        pay: "Electroneum ile öde",
        copy: "Ödeme kodunu kopyala",
        copied: "Ödeme kodu kopyalandı",
        invalid: "Bu ödeme kodu geçersiz.",
        waiting: "Ödeme bekleniyor…",
        paid: "Ödendi. Teşekkürler!",
        expired: "Bu ödemenin süresi doldu.",
        expires_in: "Kalan süre",
        retrying: "Ödeme sunucusuna ulaşılamıyor. Yeniden deneniyor…",
        qr_label: "{outlet} mağazasına {amount} ETN ödemek için QR kod, ödeme {id}",
    }
    "ur" => {
        tag: "ur",
        rtl: true,
        caption: "ادائیگی کے لیے Electroneum ایپ سے اسکین کریں",
        pay: "Electroneum سے ادائیگی کریں",
        copy: "ادائیگی کوڈ کاپی کریں",
        copied: "ادائیگی کوڈ کاپی ہو گیا",
        invalid: "یہ ادائیگی کوڈ درست نہیں ہے۔",
        waiting: "ادائیگی کا انتظار…",
        paid: "ادائیگی ہو گئی۔ شکریہ!",
        expired: "اس ادائیگی کی مدت ختم ہو گئی۔",
        expires_in: "میعاد ختم ہونے میں",
        retrying: "ادائیگی سرور سے رابطہ نہیں ہو سکا۔ دوبارہ کوشش…",
        qr_label: "آؤٹ لیٹ {outlet} کو {amount} ETN ادا کرنے کا QR کوڈ، ادائیگی {id}",
    }
    "vn vi" => {
        tag: "vi",
        rtl: false,
        caption: "Quét bằng ứng dụng Electroneum để thanh toán",
        pay: "Thanh toán bằng Electroneum",
        copy: "Sao chép mã thanh toán",
        copied: "Đã sao chép mã thanh toán",
        invalid: "Mã thanh toán này không hợp lệ.",
        waiting: "Đang chờ thanh toán…",
        paid: "Đã thanh toán. Cảm ơn bạn!",
        expired: "Khoản thanh toán này đã hết hạn.",
        expires_in: "Hết hạn sau",
        retrying: "Không kết nối được máy chủ thanh toán. Đang thử lại…",
        qr_label: "Mã QR để thanh toán {amount} ETN cho cửa hàng {outlet}, thanh toán {id}",
    }
    "zh" => {
        tag: "zh",
        rtl: false,
        caption: "使用 Electroneum 应用扫码支付",
        pay: "使用 Electroneum 支付",
        copy: "复制付款码",
        copied: "付款码已复制",
        invalid: "此付款码无效。",
        waiting: "等待付款…",
        paid: "已付款，谢谢！",
        expired: "此付款已过期。",
        expires_in: "剩余时间",
        retrying: "无法连接支付服务器，正在重试…",
        qr_label: "向门店 {outlet} 支付 {amount} ETN 的二维码，付款 {id}",
    }
}

/// A language of the table (English is 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lang(usize);

/// English: the fallback.
pub const ENGLISH: Lang = Lang(0);

/// The `n`th piece of `table` between `separator`s ("" past the end).
fn nth(table: &'static str, separator: u8, n: usize) -> &'static str {
    let mut start = 0;
    let mut index = 0;
    for (i, b) in table.bytes().enumerate() {
        if b == separator {
            if index == n {
                return table.get(start..i).unwrap_or("");
            }
            index += 1;
            start = i + 1;
        }
    }
    table.get(start..).unwrap_or("")
}

impl Lang {
    /// A sentence in this language.
    pub fn text(self, text: Text) -> &'static str {
        nth(nth(TABLE, RS, self.0), US, text as usize)
    }

    /// The `lang` attribute value (BCP-47).
    pub fn tag(self) -> &'static str {
        nth(nth(TABLE, RS, self.0), US, 0)
    }

    pub fn rtl(self) -> bool {
        RTL.get(self.0).copied().unwrap_or(false)
    }
}

/// How many languages there are.
#[cfg(test)]
fn count() -> usize {
    RTL.len()
}

/// The language one of whose codes is `code` (ASCII case ignored). A byte loop:
/// the widget carries no string-splitting machinery for this.
fn with_code(code: &[u8]) -> Option<Lang> {
    let table = CODES.as_bytes();
    let (mut lang, mut start) = (0, 0);
    for (i, &b) in table.iter().enumerate() {
        if b == b' ' || b == RS {
            if table
                .get(start..i)
                .is_some_and(|c| c.eq_ignore_ascii_case(code))
            {
                return Some(Lang(lang));
            }
            start = i + 1;
            lang += usize::from(b == RS);
        }
    }
    None
}

/// The language of a code (`fr`, `pt-BR`, `ja`, `zh-Hans-CN`, `pt_br`): the exact
/// code first, then its primary subtag. `None` when no language matches.
pub fn find(code: &str) -> Option<Lang> {
    let code: Vec<u8> = code
        .trim()
        .bytes()
        .map(|b| if b == b'_' { b'-' } else { b })
        .collect();
    let primary = code
        .iter()
        .position(|&b| b == b'-')
        .map_or(&code[..], |i| &code[..i]);
    with_code(&code).or_else(|| with_code(primary))
}

/// The language to use: the attribute if it names one; otherwise the browser's
/// preferences in order; otherwise English. The flag says the attribute named an
/// unknown language (the caller warns once).
pub fn choose(attribute: Option<&str>, browser: &[String]) -> (Lang, bool) {
    match attribute.map(str::trim).filter(|a| !a.is_empty()) {
        Some(code) => match find(code) {
            Some(lang) => (lang, false),
            None => (ENGLISH, true),
        },
        None => (
            browser.iter().find_map(|c| find(c)).unwrap_or(ENGLISH),
            false,
        ),
    }
}

/// Appends `mm:ss` (or `h:mm:ss`) for a countdown.
pub fn push_countdown(out: &mut String, seconds: i64) {
    let s = seconds.max(0) as u64;
    if s >= 3600 {
        checkout_core::push_decimal(out, s / 3600);
        out.push(':');
        push_two(out, s % 3600 / 60);
    } else {
        checkout_core::push_decimal(out, s / 60);
    }
    out.push(':');
    push_two(out, s % 60);
}

fn push_two(out: &mut String, n: u64) {
    out.push(char::from(b'0' + (n / 10 % 10) as u8));
    out.push(char::from(b'0' + (n % 10) as u8));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_etn_code_and_its_standard_name_is_known() {
        for code in [
            "de", "en", "es", "fr", "hi", "id", "it", "jp", "kh", "ko", "nl", "pt", "pt-br", "ro",
            "ru", "th", "tr", "ur", "vn", "zh",
        ] {
            assert!(find(code).is_some(), "{code}");
        }
        assert_eq!(find("ja").unwrap().tag(), "ja");
        assert_eq!(find("km").unwrap().tag(), "km");
        assert_eq!(find("vi").unwrap().tag(), "vi");
        assert_eq!(find("pt-BR").unwrap().tag(), "pt-BR");
        assert_eq!(find("pt_br").unwrap().tag(), "pt-BR");
        assert_eq!(find("pt-PT").unwrap().tag(), "pt");
        assert_eq!(find("zh-Hans-CN").unwrap().tag(), "zh");
        assert_eq!(
            find("FR").unwrap().text(Text::Caption),
            "Scannez avec l’app Electroneum pour payer"
        );
        assert!(find("ur").unwrap().rtl());
        assert!(!find("en").unwrap().rtl());
        assert!(find("xx").is_none());
        assert!(find("").is_none());
    }

    #[test]
    fn choice_order_is_attribute_browser_english() {
        let browser = vec!["nl-BE".to_owned(), "en".to_owned()];
        assert_eq!(choose(Some("fr"), &browser).0.tag(), "fr");
        assert_eq!(choose(None, &browser).0.tag(), "nl");
        assert_eq!(choose(None, &["xx".to_owned()]).0.tag(), "en");
        let (lang, unknown) = choose(Some("klingon"), &browser);
        assert_eq!((lang.tag(), unknown), ("en", true));
    }

    #[test]
    fn every_language_has_every_sentence_by_name() {
        assert_eq!(count(), 20);
        assert_eq!(TABLE.bytes().filter(|&b| b == RS).count(), count());
        assert_eq!(CODES.bytes().filter(|&b| b == RS).count(), count());
        for i in 0..count() {
            let lang = Lang(i);
            // A tag and eleven sentences: no sentence holds a separator.
            assert_eq!(nth(TABLE, RS, i).split('\u{1f}').count(), 1 + ALL.len());
            for text in ALL {
                assert!(
                    !lang.text(text).trim().is_empty(),
                    "{} {text:?}",
                    lang.tag()
                );
            }
            for slot in ["{amount}", "{outlet}", "{id}"] {
                assert!(
                    lang.text(Text::QrLabel).contains(slot),
                    "{} lacks {slot}",
                    lang.tag()
                );
            }
        }
        let en = ENGLISH;
        assert_eq!(en.text(Text::Pay), "Pay with Electroneum");
        assert_eq!(en.text(Text::Copy), "Copy payment code");
        assert_eq!(en.text(Text::Paid), "Paid. Thank you!");
        assert_eq!(
            en.text(Text::Retrying),
            "Cannot reach the payment server. Retrying…"
        );
    }

    #[test]
    fn countdowns() {
        let text = |s| {
            let mut out = String::new();
            push_countdown(&mut out, s);
            out
        };
        assert_eq!(text(0), "0:00");
        assert_eq!(text(754), "12:34");
        assert_eq!(text(3600), "1:00:00");
        assert_eq!(text(3725), "1:02:05");
        assert_eq!(text(-5), "0:00");
    }
}
