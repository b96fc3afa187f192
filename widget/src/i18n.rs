//! The widget's words, in every language the ETN widget accepts (de, en, es, fr,
//! hi, id, it, jp, kh, ko, nl, pt, pt-br, ro, ru, th, tr, ur, vn, zh) and their
//! standard BCP-47 names (ja, km, vi, pt-BR, zh-Hans...). Urdu is right to left.

/// Every sentence the widget shows, in one language.
pub struct Words {
    /// The `lang` attribute value (BCP-47).
    pub tag: &'static str,
    pub rtl: bool,
    /// Under the QR code.
    pub caption: &'static str,
    /// The pay link.
    pub pay: &'static str,
    /// The copy button.
    pub copy: &'static str,
    /// Announced after copying.
    pub copied: &'static str,
    /// Shown instead of a QR code for a bad payment string.
    pub invalid: &'static str,
    pub waiting: &'static str,
    pub paid: &'static str,
    pub expired: &'static str,
    /// Before the countdown (`Expires in 12:34`).
    pub expires_in: &'static str,
    /// While the worker cannot be reached.
    pub retrying: &'static str,
    /// The QR code's accessible name; `{amount}`, `{outlet}`, `{id}` are filled in.
    pub qr_label: &'static str,
}

macro_rules! words {
    ($tag:literal, $rtl:literal, $caption:literal, $pay:literal, $copy:literal, $copied:literal, $invalid:literal,
     $waiting:literal, $paid:literal, $expired:literal, $expires_in:literal, $retrying:literal, $qr:literal) => {
        Words {
            tag: $tag,
            rtl: $rtl,
            caption: $caption,
            pay: $pay,
            copy: $copy,
            copied: $copied,
            invalid: $invalid,
            waiting: $waiting,
            paid: $paid,
            expired: $expired,
            expires_in: $expires_in,
            retrying: $retrying,
            qr_label: $qr,
        }
    };
}

/// (codes that select it, words). Codes are matched case-insensitively.
pub const LANGUAGES: &[(&[&str], Words)] = &[
    (
        &["en"],
        words!(
            "en",
            false,
            "Scan with the Electroneum app to pay",
            "Pay with Electroneum",
            "Copy payment code",
            "Payment code copied",
            "This payment code is invalid.",
            "Waiting for payment…",
            "Paid. Thank you!",
            "This payment has expired.",
            "Expires in",
            "Cannot reach the payment server. Retrying…",
            "QR code to pay {amount} ETN to outlet {outlet}, payment {id}"
        ),
    ),
    (
        &["de"],
        words!(
            "de",
            false,
            "Zum Bezahlen mit der Electroneum-App scannen",
            "Mit Electroneum bezahlen",
            "Zahlungscode kopieren",
            "Zahlungscode kopiert",
            "Dieser Zahlungscode ist ungültig.",
            "Warte auf Zahlung…",
            "Bezahlt. Vielen Dank!",
            "Diese Zahlung ist abgelaufen.",
            "Läuft ab in",
            "Zahlungsserver nicht erreichbar. Neuer Versuch…",
            "QR-Code: {amount} ETN an Filiale {outlet} zahlen, Zahlung {id}"
        ),
    ),
    (
        &["es"],
        words!(
            "es",
            false,
            "Escanea con la app de Electroneum para pagar",
            "Pagar con Electroneum",
            "Copiar código de pago",
            "Código de pago copiado",
            "Este código de pago no es válido.",
            "Esperando el pago…",
            "Pagado. ¡Gracias!",
            "Este pago ha caducado.",
            "Caduca en",
            "No se puede contactar con el servidor de pagos. Reintentando…",
            "Código QR para pagar {amount} ETN al punto de venta {outlet}, pago {id}"
        ),
    ),
    (
        &["fr"],
        words!(
            "fr",
            false,
            "Scannez avec l’app Electroneum pour payer",
            "Payer avec Electroneum",
            "Copier le code de paiement",
            "Code de paiement copié",
            "Ce code de paiement n’est pas valide.",
            "En attente du paiement…",
            "Payé. Merci !",
            "Ce paiement a expiré.",
            "Expire dans",
            "Serveur de paiement injoignable. Nouvel essai…",
            "Code QR pour payer {amount} ETN au point de vente {outlet}, paiement {id}"
        ),
    ),
    (
        &["hi"],
        words!(
            "hi",
            false,
            "भुगतान के लिए Electroneum ऐप से स्कैन करें",
            "Electroneum से भुगतान करें",
            "भुगतान कोड कॉपी करें",
            "भुगतान कोड कॉपी हो गया",
            "यह भुगतान कोड अमान्य है।",
            "भुगतान की प्रतीक्षा…",
            "भुगतान हो गया। धन्यवाद!",
            "यह भुगतान समाप्त हो गया है।",
            "समाप्त होने में",
            "भुगतान सर्वर से संपर्क नहीं हो रहा। फिर से कोशिश…",
            "आउटलेट {outlet} को {amount} ETN भुगतान का QR कोड, भुगतान {id}"
        ),
    ),
    (
        &["id"],
        words!(
            "id",
            false,
            "Pindai dengan aplikasi Electroneum untuk membayar",
            "Bayar dengan Electroneum",
            "Salin kode pembayaran",
            "Kode pembayaran disalin",
            "Kode pembayaran ini tidak valid.",
            "Menunggu pembayaran…",
            "Lunas. Terima kasih!",
            "Pembayaran ini telah kedaluwarsa.",
            "Berakhir dalam",
            "Server pembayaran tidak terjangkau. Mencoba lagi…",
            "Kode QR untuk membayar {amount} ETN ke gerai {outlet}, pembayaran {id}"
        ),
    ),
    (
        &["it"],
        words!(
            "it",
            false,
            "Inquadra con l’app Electroneum per pagare",
            "Paga con Electroneum",
            "Copia il codice di pagamento",
            "Codice di pagamento copiato",
            "Questo codice di pagamento non è valido.",
            "In attesa del pagamento…",
            "Pagato. Grazie!",
            "Questo pagamento è scaduto.",
            "Scade tra",
            "Server di pagamento non raggiungibile. Nuovo tentativo…",
            "Codice QR per pagare {amount} ETN al punto vendita {outlet}, pagamento {id}"
        ),
    ),
    (
        &["jp", "ja"],
        words!(
            "ja",
            false,
            "Electroneumアプリでスキャンして支払う",
            "Electroneumで支払う",
            "支払いコードをコピー",
            "支払いコードをコピーしました",
            "この支払いコードは無効です。",
            "支払いを待っています…",
            "支払い完了。ありがとうございます！",
            "この支払いは期限切れです。",
            "有効期限まで",
            "決済サーバーに接続できません。再試行中…",
            "店舗 {outlet} へ {amount} ETN を支払うQRコード、支払い {id}"
        ),
    ),
    (
        &["kh", "km"],
        words!(
            "km",
            false,
            "ស្កេនដោយកម្មវិធី Electroneum ដើម្បីបង់ប្រាក់",
            "បង់ប្រាក់ជាមួយ Electroneum",
            "ចម្លងលេខកូដបង់ប្រាក់",
            "បានចម្លងលេខកូដបង់ប្រាក់",
            "លេខកូដបង់ប្រាក់នេះមិនត្រឹមត្រូវទេ។",
            "កំពុងរង់ចាំការបង់ប្រាក់…",
            "បានបង់ប្រាក់។ សូមអរគុណ!",
            "ការបង់ប្រាក់នេះបានផុតកំណត់។",
            "ផុតកំណត់ក្នុង",
            "មិនអាចភ្ជាប់ម៉ាស៊ីនមេបង់ប្រាក់បានទេ។ កំពុងព្យាយាមម្តងទៀត…",
            "កូដ QR ដើម្បីបង់ {amount} ETN ទៅហាង {outlet} ការបង់ប្រាក់ {id}"
        ),
    ),
    (
        &["ko"],
        words!(
            "ko",
            false,
            "Electroneum 앱으로 스캔하여 결제하세요",
            "Electroneum으로 결제",
            "결제 코드 복사",
            "결제 코드를 복사했습니다",
            "이 결제 코드는 유효하지 않습니다.",
            "결제를 기다리는 중…",
            "결제 완료. 감사합니다!",
            "이 결제는 만료되었습니다.",
            "만료까지",
            "결제 서버에 연결할 수 없습니다. 다시 시도 중…",
            "매장 {outlet}에 {amount} ETN을 결제하는 QR 코드, 결제 {id}"
        ),
    ),
    (
        &["nl"],
        words!(
            "nl",
            false,
            "Scan met de Electroneum-app om te betalen",
            "Betalen met Electroneum",
            "Betaalcode kopiëren",
            "Betaalcode gekopieerd",
            "Deze betaalcode is ongeldig.",
            "Wachten op betaling…",
            "Betaald. Bedankt!",
            "Deze betaling is verlopen.",
            "Verloopt over",
            "Betaalserver onbereikbaar. Opnieuw proberen…",
            "QR-code om {amount} ETN te betalen aan vestiging {outlet}, betaling {id}"
        ),
    ),
    (
        &["pt-br"],
        words!(
            "pt-BR",
            false,
            "Escaneie com o app Electroneum para pagar",
            "Pagar com Electroneum",
            "Copiar código de pagamento",
            "Código de pagamento copiado",
            "Este código de pagamento é inválido.",
            "Aguardando pagamento…",
            "Pago. Obrigado!",
            "Este pagamento expirou.",
            "Expira em",
            "Não foi possível contatar o servidor de pagamento. Tentando novamente…",
            "Código QR para pagar {amount} ETN à loja {outlet}, pagamento {id}"
        ),
    ),
    (
        &["pt"],
        words!(
            "pt",
            false,
            "Digitalize com a app Electroneum para pagar",
            "Pagar com Electroneum",
            "Copiar código de pagamento",
            "Código de pagamento copiado",
            "Este código de pagamento é inválido.",
            "A aguardar pagamento…",
            "Pago. Obrigado!",
            "Este pagamento expirou.",
            "Expira em",
            "Não é possível contactar o servidor de pagamento. A tentar de novo…",
            "Código QR para pagar {amount} ETN à loja {outlet}, pagamento {id}"
        ),
    ),
    (
        &["ro"],
        words!(
            "ro",
            false,
            "Scanează cu aplicația Electroneum pentru a plăti",
            "Plătește cu Electroneum",
            "Copiază codul de plată",
            "Codul de plată a fost copiat",
            "Acest cod de plată nu este valid.",
            "Se așteaptă plata…",
            "Plătit. Mulțumim!",
            "Această plată a expirat.",
            "Expiră în",
            "Serverul de plăți nu răspunde. Se reîncearcă…",
            "Cod QR pentru plata a {amount} ETN către magazinul {outlet}, plata {id}"
        ),
    ),
    (
        &["ru"],
        words!(
            "ru",
            false,
            "Отсканируйте в приложении Electroneum, чтобы оплатить",
            "Оплатить через Electroneum",
            "Копировать код оплаты",
            "Код оплаты скопирован",
            "Этот код оплаты недействителен.",
            "Ожидание оплаты…",
            "Оплачено. Спасибо!",
            "Срок оплаты истёк.",
            "Истекает через",
            "Сервер оплаты недоступен. Повторная попытка…",
            "QR-код для оплаты {amount} ETN в точку {outlet}, платёж {id}"
        ),
    ),
    (
        &["th"],
        words!(
            "th",
            false,
            "สแกนด้วยแอป Electroneum เพื่อชำระเงิน",
            "ชำระเงินด้วย Electroneum",
            "คัดลอกรหัสการชำระเงิน",
            "คัดลอกรหัสการชำระเงินแล้ว",
            "รหัสการชำระเงินนี้ไม่ถูกต้อง",
            "กำลังรอการชำระเงิน…",
            "ชำระเงินแล้ว ขอบคุณ!",
            "การชำระเงินนี้หมดอายุแล้ว",
            "หมดอายุใน",
            "ติดต่อเซิร์ฟเวอร์ชำระเงินไม่ได้ กำลังลองใหม่…",
            "คิวอาร์โค้ดเพื่อชำระ {amount} ETN ให้ร้าน {outlet} การชำระเงิน {id}"
        ),
    ),
    (
        &["tr"],
        words!(
            "tr",
            false,
            "Ödemek için Electroneum uygulamasıyla tarayın",
            "Electroneum ile öde",
            "Ödeme kodunu kopyala",
            "Ödeme kodu kopyalandı",
            "Bu ödeme kodu geçersiz.",
            "Ödeme bekleniyor…",
            "Ödendi. Teşekkürler!",
            "Bu ödemenin süresi doldu.",
            "Kalan süre",
            "Ödeme sunucusuna ulaşılamıyor. Yeniden deneniyor…",
            "{outlet} mağazasına {amount} ETN ödemek için QR kod, ödeme {id}"
        ),
    ),
    (
        &["ur"],
        words!(
            "ur",
            true,
            "ادائیگی کے لیے Electroneum ایپ سے اسکین کریں",
            "Electroneum سے ادائیگی کریں",
            "ادائیگی کوڈ کاپی کریں",
            "ادائیگی کوڈ کاپی ہو گیا",
            "یہ ادائیگی کوڈ درست نہیں ہے۔",
            "ادائیگی کا انتظار…",
            "ادائیگی ہو گئی۔ شکریہ!",
            "اس ادائیگی کی مدت ختم ہو گئی۔",
            "میعاد ختم ہونے میں",
            "ادائیگی سرور سے رابطہ نہیں ہو سکا۔ دوبارہ کوشش…",
            "آؤٹ لیٹ {outlet} کو {amount} ETN ادا کرنے کا QR کوڈ، ادائیگی {id}"
        ),
    ),
    (
        &["vn", "vi"],
        words!(
            "vi",
            false,
            "Quét bằng ứng dụng Electroneum để thanh toán",
            "Thanh toán bằng Electroneum",
            "Sao chép mã thanh toán",
            "Đã sao chép mã thanh toán",
            "Mã thanh toán này không hợp lệ.",
            "Đang chờ thanh toán…",
            "Đã thanh toán. Cảm ơn bạn!",
            "Khoản thanh toán này đã hết hạn.",
            "Hết hạn sau",
            "Không kết nối được máy chủ thanh toán. Đang thử lại…",
            "Mã QR để thanh toán {amount} ETN cho cửa hàng {outlet}, thanh toán {id}"
        ),
    ),
    (
        &["zh"],
        words!(
            "zh",
            false,
            "使用 Electroneum 应用扫码支付",
            "使用 Electroneum 支付",
            "复制付款码",
            "付款码已复制",
            "此付款码无效。",
            "等待付款…",
            "已付款，谢谢！",
            "此付款已过期。",
            "剩余时间",
            "无法连接支付服务器，正在重试…",
            "向门店 {outlet} 支付 {amount} ETN 的二维码，付款 {id}"
        ),
    ),
];

/// The words for a language code (`fr`, `pt-BR`, `ja`, `zh-Hans-CN`): the exact
/// code first, then its primary subtag. `None` when no language matches.
pub fn find(code: &str) -> Option<&'static Words> {
    let code = code.trim().to_ascii_lowercase().replace('_', "-");
    let exact = LANGUAGES
        .iter()
        .find(|(codes, _)| codes.contains(&code.as_str()));
    let primary = || {
        let primary = code.split('-').next().unwrap_or("");
        LANGUAGES.iter().find(|(codes, _)| codes.contains(&primary))
    };
    exact.or_else(primary).map(|(_, words)| words)
}

/// English: the fallback.
pub fn english() -> &'static Words {
    &LANGUAGES[0].1
}

/// The language to use: the attribute if it names one; otherwise the browser's
/// preferences in order; otherwise English. The flag says the attribute named an
/// unknown language (the caller warns once).
pub fn choose(attribute: Option<&str>, browser: &[String]) -> (&'static Words, bool) {
    match attribute.map(str::trim).filter(|a| !a.is_empty()) {
        Some(code) => match find(code) {
            Some(words) => (words, false),
            None => (english(), true),
        },
        None => (
            browser.iter().find_map(|c| find(c)).unwrap_or_else(english),
            false,
        ),
    }
}

/// `mm:ss` (or `h:mm:ss`) for a countdown.
pub fn countdown(seconds: i64) -> String {
    let s = seconds.max(0);
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s % 3600 / 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
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
        assert_eq!(find("ja").unwrap().tag, "ja");
        assert_eq!(find("km").unwrap().tag, "km");
        assert_eq!(find("vi").unwrap().tag, "vi");
        assert_eq!(find("pt-BR").unwrap().tag, "pt-BR");
        assert_eq!(find("pt-PT").unwrap().tag, "pt");
        assert_eq!(find("zh-Hans-CN").unwrap().tag, "zh");
        assert_eq!(
            find("FR").unwrap().caption,
            "Scannez avec l’app Electroneum pour payer"
        );
        assert!(find("ur").unwrap().rtl);
        assert!(find("xx").is_none());
    }

    #[test]
    fn choice_order_is_attribute_browser_english() {
        let browser = vec!["nl-BE".to_owned(), "en".to_owned()];
        assert_eq!(choose(Some("fr"), &browser).0.tag, "fr");
        assert_eq!(choose(None, &browser).0.tag, "nl");
        assert_eq!(choose(None, &["xx".to_owned()]).0.tag, "en");
        let (words, unknown) = choose(Some("klingon"), &browser);
        assert_eq!((words.tag, unknown), ("en", true));
    }

    #[test]
    fn every_language_fills_every_sentence() {
        for (_, w) in LANGUAGES {
            for text in [
                w.caption,
                w.pay,
                w.copy,
                w.copied,
                w.invalid,
                w.waiting,
                w.paid,
                w.expired,
                w.expires_in,
                w.retrying,
            ] {
                assert!(!text.is_empty(), "{}", w.tag);
            }
            for slot in ["{amount}", "{outlet}", "{id}"] {
                assert!(w.qr_label.contains(slot), "{} lacks {slot}", w.tag);
            }
        }
    }

    #[test]
    fn countdowns() {
        assert_eq!(countdown(0), "0:00");
        assert_eq!(countdown(754), "12:34");
        assert_eq!(countdown(3600), "1:00:00");
        assert_eq!(countdown(-5), "0:00");
    }
}
