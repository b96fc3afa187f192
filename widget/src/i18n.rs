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
    /// Part of the amount came; the rest is due under a new payment id
    /// (`{received}`, `{total}`, `{due}`: ETN amounts).
    PartiallyPaid,
    /// Money came after the expiry: the merchant decides.
    NeedsReview,
    /// Paid, with `{excess}` ETN more than was due.
    PaidOver,
    /// Expired or cancelled after `{received}` ETN came.
    EndedRefund,
}

/// Every sentence of [`Text`], for the tests.
#[cfg(test)]
pub const ALL: [Text; 15] = [
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
    Text::PartiallyPaid,
    Text::NeedsReview,
    Text::PaidOver,
    Text::EndedRefund,
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
            qr_label: $qr_label:literal,
            partially_paid: $partially_paid:literal,
            needs_review: $needs_review:literal,
            paid_over: $paid_over:literal,
            ended_refund: $ended_refund:literal $(,)?
        }
    )*) => {
        /// The codes that select each language (space-separated), one language per RS.
        const CODES: &str = concat!($($codes, "\u{1e}"),*);
        /// Each language's BCP-47 tag, then its sentences in the order of `Text`.
        const TABLE: &str = concat!($(
            $tag, "\u{1f}", $caption, "\u{1f}", $pay, "\u{1f}", $copy, "\u{1f}", $copied, "\u{1f}",
            $invalid, "\u{1f}", $waiting, "\u{1f}", $paid, "\u{1f}", $expired, "\u{1f}",
            $expires_in, "\u{1f}", $retrying, "\u{1f}", $qr_label, "\u{1f}", $partially_paid, "\u{1f}",
            $needs_review, "\u{1f}", $paid_over, "\u{1f}", $ended_refund, "\u{1e}"
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
        partially_paid: "Received {received} of {total} ETN. Still due: {due} ETN.",
        needs_review: "Your payment arrived after this checkout expired. The merchant will confirm it.",
        paid_over: "Paid. You paid {excess} ETN more than was due: the merchant will refund it.",
        ended_refund: "This checkout has ended. The merchant will refund the {received} ETN received.",
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
        partially_paid: "{received} von {total} ETN erhalten. Noch offen: {due} ETN.",
        needs_review: "Ihre Zahlung ist nach Ablauf dieses Bezahlvorgangs eingegangen. Der Händler wird sie bestätigen.",
        paid_over: "Bezahlt. Sie haben {excess} ETN zu viel bezahlt: Der Händler erstattet den Betrag.",
        ended_refund: "Dieser Bezahlvorgang ist beendet. Der Händler erstattet die erhaltenen {received} ETN.",
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
        partially_paid: "Recibidos {received} de {total} ETN. Falta por pagar: {due} ETN.",
        needs_review: "Tu pago llegó cuando este cobro ya había caducado. El comercio lo confirmará.",
        paid_over: "Pagado. Has pagado {excess} ETN más de lo debido: el comercio te los devolverá.",
        ended_refund: "Este cobro ha finalizado. El comercio te devolverá los {received} ETN recibidos.",
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
        partially_paid: "Reçu {received} sur {total} ETN. Reste à payer : {due} ETN.",
        needs_review: "Votre paiement est arrivé après l’expiration de cette demande de paiement. Le commerçant le confirmera.",
        paid_over: "Payé. Vous avez payé {excess} ETN de plus que le montant dû : le commerçant vous les remboursera.",
        ended_refund: "Cette demande de paiement est close. Le commerçant vous remboursera les {received} ETN reçus.",
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
        partially_paid: "{total} ETN में से {received} ETN प्राप्त हुए। शेष देय: {due} ETN।",
        needs_review: "आपका भुगतान इस चेकआउट की समय-सीमा समाप्त होने के बाद पहुँचा। व्यापारी इसकी पुष्टि करेगा।",
        paid_over: "भुगतान हो गया। आपने देय राशि से {excess} ETN अधिक भुगतान किया है: व्यापारी इसे वापस कर देगा।",
        ended_refund: "यह चेकआउट समाप्त हो गया है। व्यापारी प्राप्त हुए {received} ETN वापस कर देगा।",
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
        partially_paid: "Diterima {received} dari {total} ETN. Sisa yang harus dibayar: {due} ETN.",
        needs_review: "Pembayaran Anda masuk setelah transaksi ini kedaluwarsa. Penjual akan mengonfirmasinya.",
        paid_over: "Lunas. Anda membayar {excess} ETN lebih dari yang seharusnya: penjual akan mengembalikannya.",
        ended_refund: "Transaksi ini telah berakhir. Penjual akan mengembalikan {received} ETN yang telah diterima.",
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
        partially_paid: "Ricevuti {received} su {total} ETN. Restano da pagare: {due} ETN.",
        needs_review: "Il tuo pagamento è arrivato dopo la scadenza di questa richiesta di pagamento. L’esercente lo confermerà.",
        paid_over: "Pagato. Hai pagato {excess} ETN più del dovuto: l’esercente te li rimborserà.",
        ended_refund: "Questa richiesta di pagamento è chiusa. L’esercente ti rimborserà i {received} ETN ricevuti.",
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
        partially_paid: "{total} ETN のうち {received} ETN を受け取りました。残額：{due} ETN。",
        needs_review: "この決済の有効期限が切れた後にお支払いが届きました。販売者が確認します。",
        paid_over: "支払い完了。必要額より {excess} ETN 多くお支払いいただきました。超過分は販売者から返金されます。",
        ended_refund: "この決済は終了しました。受け取った {received} ETN は販売者から返金されます。",
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
        partially_paid: "បានទទួល {received} ក្នុងចំណោម {total} ETN។ នៅសល់ត្រូវបង់៖ {due} ETN។",
        needs_review: "ការបង់ប្រាក់របស់អ្នកបានមកដល់ក្រោយពេលការទូទាត់នេះផុតកំណត់។ អាជីវករនឹងបញ្ជាក់ការបង់ប្រាក់នេះ។",
        paid_over: "បានបង់ប្រាក់។ អ្នកបានបង់លើស {excess} ETN៖ អាជីវករនឹងសងប្រាក់នេះវិញ។",
        ended_refund: "ការទូទាត់នេះបានបញ្ចប់ហើយ។ អាជីវករនឹងសងប្រាក់ {received} ETN ដែលបានទទួលវិញ។",
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
        partially_paid: "{total} ETN 중 {received} ETN을 받았습니다. 남은 금액: {due} ETN.",
        needs_review: "이 결제가 만료된 후에 결제 금액이 도착했습니다. 판매자가 확인할 예정입니다.",
        paid_over: "결제 완료. 결제할 금액보다 {excess} ETN을 더 보내셨습니다. 판매자가 환불해 드립니다.",
        ended_refund: "이 결제는 종료되었습니다. 받은 {received} ETN은 판매자가 환불해 드립니다.",
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
        partially_paid: "{received} van {total} ETN ontvangen. Nog te betalen: {due} ETN.",
        needs_review: "Je betaling kwam binnen nadat dit betaalverzoek was verlopen. De verkoper zal de betaling bevestigen.",
        paid_over: "Betaald. Je hebt {excess} ETN te veel betaald: de verkoper betaalt dit terug.",
        ended_refund: "Dit betaalverzoek is beëindigd. De verkoper betaalt de ontvangen {received} ETN terug.",
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
        partially_paid: "Recebidos {received} de {total} ETN. Falta pagar: {due} ETN.",
        needs_review: "Seu pagamento chegou depois que esta cobrança expirou. O lojista vai confirmá-lo.",
        paid_over: "Pago. Você pagou {excess} ETN a mais: o lojista vai reembolsar esse valor.",
        ended_refund: "Esta cobrança foi encerrada. O lojista vai reembolsar os {received} ETN recebidos.",
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
        partially_paid: "Recebidos {received} de {total} ETN. Falta pagar: {due} ETN.",
        needs_review: "O seu pagamento chegou depois de este pedido de pagamento expirar. O comerciante irá confirmá-lo.",
        paid_over: "Pago. Pagou {excess} ETN a mais do que o devido: o comerciante irá devolver esse valor.",
        ended_refund: "Este pedido de pagamento terminou. O comerciante irá reembolsar os {received} ETN recebidos.",
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
        partially_paid: "S-au primit {received} din {total} ETN. Rest de plată: {due} ETN.",
        needs_review: "Plata ta a sosit după ce această cerere de plată a expirat. Comerciantul o va confirma.",
        paid_over: "Plătit. Ai plătit cu {excess} ETN peste suma datorată: comerciantul îți va rambursa diferența.",
        ended_refund: "Această cerere de plată s-a încheiat. Comerciantul îți va rambursa cei {received} ETN primiți.",
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
        partially_paid: "Получено {received} из {total} ETN. Осталось оплатить: {due} ETN.",
        needs_review: "Ваш платёж поступил после истечения срока этого счёта. Продавец подтвердит его.",
        paid_over: "Оплачено. Вы заплатили на {excess} ETN больше, чем требовалось: продавец вернёт разницу.",
        ended_refund: "Этот счёт больше не действует. Продавец вернёт полученные {received} ETN.",
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
        partially_paid: "ได้รับแล้ว {received} จาก {total} ETN ยอดคงเหลือที่ต้องชำระ {due} ETN",
        needs_review: "การชำระเงินของคุณมาถึงหลังจากรายการนี้หมดอายุแล้ว ร้านค้าจะเป็นผู้ยืนยันการชำระเงินนี้",
        paid_over: "ชำระเงินแล้ว คุณชำระเกินยอดที่ต้องชำระ {excess} ETN ร้านค้าจะคืนเงินส่วนนี้ให้คุณ",
        ended_refund: "รายการนี้สิ้นสุดแล้ว ร้านค้าจะคืนเงิน {received} ETN ที่ได้รับให้คุณ",
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
        partially_paid: "Alınan: {received} / {total} ETN. Kalan ödeme: {due} ETN.",
        needs_review: "Ödemeniz, bu ödeme talebinin süresi dolduktan sonra ulaştı. Satıcı ödemeyi onaylayacak.",
        paid_over: "Ödendi. Gereken tutardan {excess} ETN fazla ödediniz: satıcı bu tutarı iade edecek.",
        ended_refund: "Bu ödeme talebi sona erdi. Satıcı, alınan {received} ETN tutarını iade edecek.",
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
        partially_paid: "{total} ETN میں سے {received} ETN موصول ہو گئے۔ باقی واجب الادا رقم: {due} ETN۔",
        needs_review: "آپ کی ادائیگی اس چیک آؤٹ کی میعاد ختم ہونے کے بعد پہنچی۔ تاجر اس کی تصدیق کرے گا۔",
        paid_over: "ادائیگی ہو گئی۔ آپ نے واجب رقم سے {excess} ETN زیادہ ادا کیے: تاجر یہ رقم واپس کر دے گا۔",
        ended_refund: "یہ چیک آؤٹ ختم ہو گیا ہے۔ تاجر موصول شدہ {received} ETN واپس کر دے گا۔",
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
        partially_paid: "Đã nhận {received} trên {total} ETN. Còn phải trả: {due} ETN.",
        needs_review: "Khoản thanh toán của bạn đến sau khi phiên thanh toán này hết hạn. Người bán sẽ xác nhận khoản thanh toán này.",
        paid_over: "Đã thanh toán. Bạn đã trả dư {excess} ETN: người bán sẽ hoàn lại số tiền này.",
        ended_refund: "Phiên thanh toán này đã kết thúc. Người bán sẽ hoàn lại {received} ETN đã nhận.",
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
        partially_paid: "已收到 {total} ETN 中的 {received} ETN。尚需支付：{due} ETN。",
        needs_review: "您的付款在本次结账过期后才到账，商家将确认此付款。",
        paid_over: "已付款。您多付了 {excess} ETN，商家将予以退还。",
        ended_refund: "本次结账已结束。商家将退还已收到的 {received} ETN。",
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
            // A tag and every sentence: no sentence holds a separator.
            assert_eq!(nth(TABLE, RS, i).split('\u{1f}').count(), 1 + ALL.len());
            for text in ALL {
                assert!(
                    !lang.text(text).trim().is_empty(),
                    "{} {text:?}",
                    lang.tag()
                );
            }
            for text in ALL {
                assert_eq!(
                    slots(lang.text(text)),
                    slots(ENGLISH.text(text)),
                    "{} {text:?}: the slots differ from English's",
                    lang.tag()
                );
            }
        }
        assert_eq!(
            slots(ENGLISH.text(Text::QrLabel)),
            ["amount", "id", "outlet"]
        );
        assert_eq!(
            slots(ENGLISH.text(Text::PartiallyPaid)),
            ["due", "received", "total"]
        );
        assert_eq!(slots(ENGLISH.text(Text::PaidOver)), ["excess"]);
        assert_eq!(slots(ENGLISH.text(Text::EndedRefund)), ["received"]);
        assert!(slots(ENGLISH.text(Text::NeedsReview)).is_empty());
        let en = ENGLISH;
        assert_eq!(en.text(Text::Pay), "Pay with Electroneum");
        assert_eq!(en.text(Text::Copy), "Copy payment code");
        assert_eq!(en.text(Text::Paid), "Paid. Thank you!");
        assert_eq!(
            en.text(Text::Retrying),
            "Cannot reach the payment server. Retrying…"
        );
    }

    /// The slot names of a sentence, sorted; a brace that opens no well-formed
    /// slot (a stray `}`, a `{` never closed, a slot in a slot) fails the test.
    fn slots(sentence: &str) -> Vec<&str> {
        let mut names = Vec::new();
        let mut rest = sentence;
        while let Some(open) = rest.find(['{', '}']) {
            assert_eq!(&rest[open..=open], "{", "stray brace in {sentence:?}");
            let after = &rest[open + 1..];
            let close = after
                .find('}')
                .unwrap_or_else(|| panic!("unclosed slot in {sentence:?}"));
            let name = &after[..close];
            assert!(
                !name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase()),
                "bad slot {name:?} in {sentence:?}"
            );
            names.push(name);
            rest = &after[close + 1..];
        }
        names.sort_unstable();
        names
    }

    #[test]
    fn english_sentences_of_the_session_states() {
        let en = ENGLISH;
        assert_eq!(
            en.text(Text::PartiallyPaid),
            "Received {received} of {total} ETN. Still due: {due} ETN."
        );
        assert_eq!(
            en.text(Text::NeedsReview),
            "Your payment arrived after this checkout expired. The merchant will confirm it."
        );
        assert_eq!(
            en.text(Text::PaidOver),
            "Paid. You paid {excess} ETN more than was due: the merchant will refund it."
        );
        assert_eq!(
            en.text(Text::EndedRefund),
            "This checkout has ended. The merchant will refund the {received} ETN received."
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
