//! Every word a shopper reads, in one table for the widget and the hosted
//! checkout page: 42 languages, among them every language the ETN widget
//! accepts (de, en, es, fr, hi, id, it, jp, kh, ko, nl, pt, pt-br, ro, ru, th,
//! tr, ur, vn, zh) under their codes and standard BCP-47 names (ja, km, vi,
//! pt-BR...). Arabic, Hebrew, Persian and Urdu are right to left.
//!
//! Every sentence is written next to its name (`pay: "..."`), and the macro
//! below accepts the names only in the order of [`Text`] then [`PageText`]: a
//! missing, misspelt or misplaced sentence does not compile. The macro lays the
//! sentences out as two strings (languages separated by RS, sentences by US):
//! the widget's, and the page's, which only the worker links, so the widget
//! carries none of the page's words. This costs no pointer per sentence;
//! [`Lang::text`] and [`Lang::page`] find a sentence by walking its string.

/// One sentence the widget shows (and the page, where it says the same).
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

/// One sentence of the hosted checkout page's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageText {
    /// The badge of a test-mode checkout.
    TestMode = 0,
    /// The sandbox's button.
    Simulate,
    /// `{merchant}`.
    CancelReturn,
    /// `{merchant}`.
    BackToShop,
    NotFound,
    NotFoundBody,
    Cancelled,
    /// The tab's title: `{amount}`, `{merchant}`.
    Title,
    PaymentCode,
    YourOrder,
    /// `{reference}`.
    OrderRef,
    Total,
    Receipt,
    HowToPay,
    StepOpen,
    StepScan,
    StepConfirm,
    Language,
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

/// Every sentence of [`PageText`], for the tests.
#[cfg(test)]
pub const ALL_PAGE: [PageText; 18] = [
    PageText::TestMode,
    PageText::Simulate,
    PageText::CancelReturn,
    PageText::BackToShop,
    PageText::NotFound,
    PageText::NotFoundBody,
    PageText::Cancelled,
    PageText::Title,
    PageText::PaymentCode,
    PageText::YourOrder,
    PageText::OrderRef,
    PageText::Total,
    PageText::Receipt,
    PageText::HowToPay,
    PageText::StepOpen,
    PageText::StepScan,
    PageText::StepConfirm,
    PageText::Language,
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
            ended_refund: $ended_refund:literal,
            test_mode: $test_mode:literal,
            simulate: $simulate:literal,
            cancel_return: $cancel_return:literal,
            back_to_shop: $back_to_shop:literal,
            not_found: $not_found:literal,
            not_found_body: $not_found_body:literal,
            cancelled: $cancelled:literal,
            title: $title:literal,
            payment_code: $payment_code:literal,
            your_order: $your_order:literal,
            order_ref: $order_ref:literal,
            total: $total:literal,
            receipt: $receipt:literal,
            how_to_pay: $how_to_pay:literal,
            step_open: $step_open:literal,
            step_scan: $step_scan:literal,
            step_confirm: $step_confirm:literal,
            language: $language:literal $(,)?
        }
    )*) => {
        /// The codes that select each language (space-separated), one language per RS.
        const CODES: &str = concat!($($codes, "\u{1e}"),*);
        /// Each language's BCP-47 tag, then its widget sentences in the order of `Text`.
        const TABLE: &str = concat!($(
            $tag, "\u{1f}", $caption, "\u{1f}", $pay, "\u{1f}", $copy, "\u{1f}", $copied, "\u{1f}",
            $invalid, "\u{1f}", $waiting, "\u{1f}", $paid, "\u{1f}", $expired, "\u{1f}",
            $expires_in, "\u{1f}", $retrying, "\u{1f}", $qr_label, "\u{1f}", $partially_paid, "\u{1f}",
            $needs_review, "\u{1f}", $paid_over, "\u{1f}", $ended_refund, "\u{1e}"
        ),*);
        /// Each language's page sentences, in the order of `PageText`.
        const PAGE: &str = concat!($(
            $test_mode, "\u{1f}", $simulate, "\u{1f}", $cancel_return, "\u{1f}", $back_to_shop, "\u{1f}",
            $not_found, "\u{1f}", $not_found_body, "\u{1f}", $cancelled, "\u{1f}", $title, "\u{1f}",
            $payment_code, "\u{1f}", $your_order, "\u{1f}", $order_ref, "\u{1f}", $total, "\u{1f}",
            $receipt, "\u{1f}", $how_to_pay, "\u{1f}", $step_open, "\u{1f}", $step_scan, "\u{1f}",
            $step_confirm, "\u{1f}", $language, "\u{1e}"
        ),*);
        /// Which languages are written right to left.
        const RTL: &[bool] = &[$($rtl),*];
    };
}

// Codes are matched case-insensitively; an exact code comes before the
// primary subtag it shares (`pt-br` before `pt`, `zh-hant` before `zh`).
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
        test_mode: "Test mode",
        simulate: "Simulate payment (test mode)",
        cancel_return: "Cancel and return to {merchant}",
        back_to_shop: "Return to {merchant}",
        not_found: "Checkout not found",
        not_found_body: "This checkout link is not valid.",
        cancelled: "This checkout was cancelled.",
        title: "Pay {amount} to {merchant}",
        payment_code: "Payment code",
        your_order: "Your order",
        order_ref: "Order reference: {reference}",
        total: "Total",
        receipt: "Receipt (PDF)",
        how_to_pay: "How to pay",
        step_open: "Open the Electroneum app.",
        step_scan: "Scan the QR code, or tap “Pay with Electroneum” on this phone.",
        step_confirm: "Check the amount and confirm the payment.",
        language: "Language",
    }
    "da" => {
        tag: "da",
        rtl: false,
        caption: "Scan med Electroneum-appen for at betale",
        pay: "Betal med Electroneum",
        copy: "Kopiér betalingskode",
        copied: "Betalingskoden er kopieret",
        invalid: "Denne betalingskode er ugyldig.",
        waiting: "Venter på betaling…",
        paid: "Betalt. Tak!",
        expired: "Denne betaling er udløbet.",
        expires_in: "Udløber om",
        retrying: "Kan ikke få forbindelse til betalingsserveren. Prøver igen…",
        qr_label: "QR-kode til betaling af {amount} ETN til salgssted {outlet}, betaling {id}",
        partially_paid: "Modtaget {received} af {total} ETN. Mangler stadig: {due} ETN.",
        needs_review: "Din betaling kom frem, efter at dette køb var udløbet. Butikken bekræfter den.",
        paid_over: "Betalt. Du har betalt {excess} ETN for meget: butikken refunderer beløbet.",
        ended_refund: "Dette køb er afsluttet. Butikken refunderer de {received} ETN, der er modtaget.",
        test_mode: "Testtilstand",
        simulate: "Simulér betaling (testtilstand)",
        cancel_return: "Annullér og gå tilbage til {merchant}",
        back_to_shop: "Tilbage til {merchant}",
        not_found: "Betalingssiden blev ikke fundet",
        not_found_body: "Dette betalingslink er ikke gyldigt.",
        cancelled: "Dette køb er annulleret.",
        title: "Betal {amount} til {merchant}",
        payment_code: "Betalingskode",
        your_order: "Din ordre",
        order_ref: "Ordrereference: {reference}",
        total: "I alt",
        receipt: "Kvittering (PDF)",
        how_to_pay: "Sådan betaler du",
        step_open: "Åbn Electroneum-appen.",
        step_scan: "Scan QR-koden, eller tryk på »Betal med Electroneum« på denne telefon.",
        step_confirm: "Kontrollér beløbet, og bekræft betalingen.",
        language: "Sprog",
    }
    "et" => {
        tag: "et",
        rtl: false,
        caption: "Maksmiseks skanni Electroneumi rakendusega",
        pay: "Maksa Electroneumiga",
        copy: "Kopeeri maksekood",
        copied: "Maksekood kopeeritud",
        invalid: "See maksekood on kehtetu.",
        waiting: "Ootame makset…",
        paid: "Makstud. Aitäh!",
        expired: "See makse on aegunud.",
        expires_in: "Kehtib veel",
        retrying: "Makseserveriga ei saa ühendust. Proovime uuesti…",
        qr_label: "QR-kood, et maksta {amount} ETN müügipunktile {outlet}, makse {id}",
        partially_paid: "Laekunud {received} ETN {total} ETN-st. Tasuda veel: {due} ETN.",
        needs_review: "Sinu makse saabus pärast selle ostu aegumist. Müüja kinnitab selle.",
        paid_over: "Makstud. Maksid {excess} ETN liiga palju: müüja tagastab selle summa.",
        ended_refund: "See ost on lõppenud. Müüja tagastab laekunud {received} ETN.",
        test_mode: "Testrežiim",
        simulate: "Simuleeri makset (testrežiim)",
        cancel_return: "Tühista ja naase poodi {merchant}",
        back_to_shop: "Tagasi poodi {merchant}",
        not_found: "Makselehte ei leitud",
        not_found_body: "See maksmislink ei kehti.",
        cancelled: "See ost tühistati.",
        title: "Maksa {amount} saajale {merchant}",
        payment_code: "Maksekood",
        your_order: "Sinu tellimus",
        order_ref: "Tellimuse viitenumber: {reference}",
        total: "Kokku",
        receipt: "Kviitung (PDF)",
        how_to_pay: "Kuidas maksta",
        step_open: "Ava Electroneumi rakendus.",
        step_scan: "Skanni QR-kood või puuduta selles telefonis nuppu „Maksa Electroneumiga“.",
        step_confirm: "Kontrolli summat ja kinnita makse.",
        language: "Keel",
    }
    "fi" => {
        tag: "fi",
        rtl: false,
        caption: "Maksa skannaamalla Electroneum-sovelluksella",
        pay: "Maksa Electroneumilla",
        copy: "Kopioi maksukoodi",
        copied: "Maksukoodi kopioitu",
        invalid: "Tämä maksukoodi on virheellinen.",
        waiting: "Odotetaan maksua…",
        paid: "Maksettu. Kiitos!",
        expired: "Tämä maksu on vanhentunut.",
        expires_in: "Voimassa vielä",
        retrying: "Maksupalvelimeen ei saada yhteyttä. Yritetään uudelleen…",
        qr_label: "QR-koodi: maksa {amount} ETN myyntipisteelle {outlet}, maksu {id}",
        partially_paid: "Vastaanotettu {received} / {total} ETN. Maksamatta: {due} ETN.",
        needs_review: "Maksusi saapui tämän maksutapahtuman vanhennuttua. Kauppias vahvistaa sen.",
        paid_over: "Maksettu. Maksoit {excess} ETN liikaa: kauppias palauttaa summan.",
        ended_refund: "Tämä maksutapahtuma on päättynyt. Kauppias palauttaa vastaanotetut {received} ETN.",
        test_mode: "Testitila",
        simulate: "Simuloi maksu (testitila)",
        cancel_return: "Peruuta ja palaa kauppaan {merchant}",
        back_to_shop: "Palaa kauppaan {merchant}",
        not_found: "Maksusivua ei löytynyt",
        not_found_body: "Tämä maksulinkki ei ole voimassa.",
        cancelled: "Tämä maksutapahtuma peruttiin.",
        title: "Maksa {amount} saajalle {merchant}",
        payment_code: "Maksukoodi",
        your_order: "Tilauksesi",
        order_ref: "Tilausviite: {reference}",
        total: "Yhteensä",
        receipt: "Kuitti (PDF)",
        how_to_pay: "Näin maksat",
        step_open: "Avaa Electroneum-sovellus.",
        step_scan: "Skannaa QR-koodi tai napauta tässä puhelimessa ”Maksa Electroneumilla”.",
        step_confirm: "Tarkista summa ja vahvista maksu.",
        language: "Kieli",
    }
    "lt" => {
        tag: "lt",
        rtl: false,
        caption: "Nuskaitykite Electroneum programėle ir sumokėkite",
        pay: "Mokėti su Electroneum",
        copy: "Kopijuoti mokėjimo kodą",
        copied: "Mokėjimo kodas nukopijuotas",
        invalid: "Šis mokėjimo kodas negalioja.",
        waiting: "Laukiama mokėjimo…",
        paid: "Apmokėta. Ačiū!",
        expired: "Šio mokėjimo galiojimas baigėsi.",
        expires_in: "Galioja dar",
        retrying: "Nepavyksta prisijungti prie mokėjimų serverio. Bandoma dar kartą…",
        qr_label: "QR kodas sumokėti {amount} ETN prekybos vietai {outlet}, mokėjimas {id}",
        partially_paid: "Gauta {received} iš {total} ETN. Dar reikia sumokėti: {due} ETN.",
        needs_review: "Jūsų mokėjimas gautas pasibaigus šio apmokėjimo galiojimui. Pardavėjas jį patvirtins.",
        paid_over: "Apmokėta. Sumokėjote {excess} ETN daugiau nei reikėjo: pardavėjas šią sumą grąžins.",
        ended_refund: "Šis apmokėjimas baigtas. Pardavėjas grąžins gautus {received} ETN.",
        test_mode: "Bandomasis režimas",
        simulate: "Imituoti mokėjimą (bandomasis režimas)",
        cancel_return: "Atšaukti ir grįžti į {merchant}",
        back_to_shop: "Grįžti į {merchant}",
        not_found: "Apmokėjimo puslapis nerastas",
        not_found_body: "Ši apmokėjimo nuoroda negalioja.",
        cancelled: "Šis apmokėjimas atšauktas.",
        title: "Mokėti {amount} gavėjui {merchant}",
        payment_code: "Mokėjimo kodas",
        your_order: "Jūsų užsakymas",
        order_ref: "Užsakymo numeris: {reference}",
        total: "Iš viso",
        receipt: "Kvitas (PDF)",
        how_to_pay: "Kaip sumokėti",
        step_open: "Atidarykite Electroneum programėlę.",
        step_scan: "Nuskaitykite QR kodą arba šiame telefone bakstelėkite „Mokėti su Electroneum“.",
        step_confirm: "Patikrinkite sumą ir patvirtinkite mokėjimą.",
        language: "Kalba",
    }
    "lv" => {
        tag: "lv",
        rtl: false,
        caption: "Lai samaksātu, skenējiet ar Electroneum lietotni",
        pay: "Maksāt ar Electroneum",
        copy: "Kopēt maksājuma kodu",
        copied: "Maksājuma kods nokopēts",
        invalid: "Šis maksājuma kods nav derīgs.",
        waiting: "Gaida maksājumu…",
        paid: "Samaksāts. Paldies!",
        expired: "Šī maksājuma derīguma termiņš ir beidzies.",
        expires_in: "Derīgs vēl",
        retrying: "Nevar sazināties ar maksājumu serveri. Mēģina vēlreiz…",
        qr_label: "QR kods, lai samaksātu {amount} ETN tirdzniecības vietai {outlet}, maksājums {id}",
        partially_paid: "Saņemti {received} no {total} ETN. Vēl jāsamaksā: {due} ETN.",
        needs_review: "Jūsu maksājums tika saņemts pēc šī pirkuma termiņa beigām. Tirgotājs to apstiprinās.",
        paid_over: "Samaksāts. Jūs samaksājāt par {excess} ETN vairāk nekā nepieciešams: tirgotājs šo summu atmaksās.",
        ended_refund: "Šis pirkums ir beidzies. Tirgotājs atmaksās saņemtos {received} ETN.",
        test_mode: "Testa režīms",
        simulate: "Simulēt maksājumu (testa režīms)",
        cancel_return: "Atcelt un atgriezties veikalā {merchant}",
        back_to_shop: "Atgriezties veikalā {merchant}",
        not_found: "Maksājuma lapa nav atrasta",
        not_found_body: "Šī maksājuma saite nav derīga.",
        cancelled: "Šis pirkums tika atcelts.",
        title: "Maksāt {amount} saņēmējam {merchant}",
        payment_code: "Maksājuma kods",
        your_order: "Jūsu pasūtījums",
        order_ref: "Pasūtījuma numurs: {reference}",
        total: "Kopā",
        receipt: "Kvīts (PDF)",
        how_to_pay: "Kā samaksāt",
        step_open: "Atveriet Electroneum lietotni.",
        step_scan: "Noskenējiet QR kodu vai šajā tālrunī pieskarieties „Maksāt ar Electroneum”.",
        step_confirm: "Pārbaudiet summu un apstipriniet maksājumu.",
        language: "Valoda",
    }
    "nb no nn" => {
        tag: "nb",
        rtl: false,
        caption: "Skann med Electroneum-appen for å betale",
        pay: "Betal med Electroneum",
        copy: "Kopier betalingskode",
        copied: "Betalingskoden er kopiert",
        invalid: "Denne betalingskoden er ugyldig.",
        waiting: "Venter på betaling…",
        paid: "Betalt. Takk!",
        expired: "Denne betalingen er utløpt.",
        expires_in: "Utløper om",
        retrying: "Får ikke kontakt med betalingsserveren. Prøver igjen…",
        qr_label: "QR-kode for å betale {amount} ETN til utsalgssted {outlet}, betaling {id}",
        partially_paid: "Mottatt {received} av {total} ETN. Gjenstår: {due} ETN.",
        needs_review: "Betalingen din kom etter at dette kjøpet hadde utløpt. Butikken vil bekrefte den.",
        paid_over: "Betalt. Du betalte {excess} ETN for mye: butikken refunderer beløpet.",
        ended_refund: "Dette kjøpet er avsluttet. Butikken refunderer de {received} ETN som er mottatt.",
        test_mode: "Testmodus",
        simulate: "Simuler betaling (testmodus)",
        cancel_return: "Avbryt og gå tilbake til {merchant}",
        back_to_shop: "Tilbake til {merchant}",
        not_found: "Fant ikke betalingssiden",
        not_found_body: "Denne betalingslenken er ikke gyldig.",
        cancelled: "Dette kjøpet ble avbrutt.",
        title: "Betal {amount} til {merchant}",
        payment_code: "Betalingskode",
        your_order: "Din bestilling",
        order_ref: "Bestillingsreferanse: {reference}",
        total: "Totalt",
        receipt: "Kvittering (PDF)",
        how_to_pay: "Slik betaler du",
        step_open: "Åpne Electroneum-appen.",
        step_scan: "Skann QR-koden, eller trykk på «Betal med Electroneum» på denne telefonen.",
        step_confirm: "Kontroller beløpet og bekreft betalingen.",
        language: "Språk",
    }
    "sv" => {
        tag: "sv",
        rtl: false,
        caption: "Skanna med Electroneum-appen för att betala",
        pay: "Betala med Electroneum",
        copy: "Kopiera betalningskod",
        copied: "Betalningskoden har kopierats",
        invalid: "Den här betalningskoden är ogiltig.",
        waiting: "Väntar på betalning…",
        paid: "Betalt. Tack!",
        expired: "Den här betalningen har gått ut.",
        expires_in: "Går ut om",
        retrying: "Det går inte att nå betalningsservern. Försöker igen…",
        qr_label: "QR-kod för att betala {amount} ETN till försäljningsställe {outlet}, betalning {id}",
        partially_paid: "{received} av {total} ETN har tagits emot. Kvar att betala: {due} ETN.",
        needs_review: "Din betalning kom fram efter att det här köpet hade gått ut. Butiken kommer att bekräfta den.",
        paid_over: "Betalt. Du betalade {excess} ETN för mycket: butiken återbetalar beloppet.",
        ended_refund: "Det här köpet har avslutats. Butiken återbetalar de {received} ETN som har tagits emot.",
        test_mode: "Testläge",
        simulate: "Simulera betalning (testläge)",
        cancel_return: "Avbryt och gå tillbaka till {merchant}",
        back_to_shop: "Tillbaka till {merchant}",
        not_found: "Betalningssidan hittades inte",
        not_found_body: "Den här betalningslänken är inte giltig.",
        cancelled: "Det här köpet har avbrutits.",
        title: "Betala {amount} till {merchant}",
        payment_code: "Betalningskod",
        your_order: "Din beställning",
        order_ref: "Beställningsreferens: {reference}",
        total: "Totalt",
        receipt: "Kvitto (PDF)",
        how_to_pay: "Så här betalar du",
        step_open: "Öppna Electroneum-appen.",
        step_scan: "Skanna QR-koden eller tryck på ”Betala med Electroneum” på den här telefonen.",
        step_confirm: "Kontrollera beloppet och bekräfta betalningen.",
        language: "Språk",
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
        test_mode: "Testmodus",
        simulate: "Zahlung simulieren (Testmodus)",
        cancel_return: "Abbrechen und zurück zu {merchant}",
        back_to_shop: "Zurück zu {merchant}",
        not_found: "Bezahlvorgang nicht gefunden",
        not_found_body: "Dieser Bezahllink ist ungültig.",
        cancelled: "Dieser Bezahlvorgang wurde abgebrochen.",
        title: "{amount} an {merchant} zahlen",
        payment_code: "Zahlungscode",
        your_order: "Ihre Bestellung",
        order_ref: "Bestellnummer: {reference}",
        total: "Gesamtbetrag",
        receipt: "Beleg (PDF)",
        how_to_pay: "So bezahlen Sie",
        step_open: "Öffnen Sie die Electroneum-App.",
        step_scan: "Scannen Sie den QR-Code oder tippen Sie auf diesem Handy auf „Mit Electroneum bezahlen“.",
        step_confirm: "Prüfen Sie den Betrag und bestätigen Sie die Zahlung.",
        language: "Sprache",
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
        test_mode: "Modo de prueba",
        simulate: "Simular pago (modo de prueba)",
        cancel_return: "Cancelar y volver a {merchant}",
        back_to_shop: "Volver a {merchant}",
        not_found: "Cobro no encontrado",
        not_found_body: "Este enlace de pago no es válido.",
        cancelled: "Este cobro se ha cancelado.",
        title: "Pagar {amount} a {merchant}",
        payment_code: "Código de pago",
        your_order: "Tu pedido",
        order_ref: "Referencia del pedido: {reference}",
        total: "Total",
        receipt: "Recibo (PDF)",
        how_to_pay: "Cómo pagar",
        step_open: "Abre la app de Electroneum.",
        step_scan: "Escanea el código QR o toca «Pagar con Electroneum» en este teléfono.",
        step_confirm: "Comprueba el importe y confirma el pago.",
        language: "Idioma",
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
        test_mode: "Mode test",
        simulate: "Simuler le paiement (mode test)",
        cancel_return: "Annuler et revenir à {merchant}",
        back_to_shop: "Retour à {merchant}",
        not_found: "Demande de paiement introuvable",
        not_found_body: "Ce lien de paiement n’est pas valide.",
        cancelled: "Cette demande de paiement a été annulée.",
        title: "Payer {amount} à {merchant}",
        payment_code: "Code de paiement",
        your_order: "Votre commande",
        order_ref: "Référence de commande : {reference}",
        total: "Total",
        receipt: "Reçu (PDF)",
        how_to_pay: "Comment payer",
        step_open: "Ouvrez l’app Electroneum.",
        step_scan: "Scannez le code QR ou touchez « Payer avec Electroneum » sur ce téléphone.",
        step_confirm: "Vérifiez le montant et confirmez le paiement.",
        language: "Langue",
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
        test_mode: "Modalità test",
        simulate: "Simula pagamento (modalità test)",
        cancel_return: "Annulla e torna a {merchant}",
        back_to_shop: "Torna a {merchant}",
        not_found: "Richiesta di pagamento non trovata",
        not_found_body: "Questo link di pagamento non è valido.",
        cancelled: "Questa richiesta di pagamento è stata annullata.",
        title: "Paga {amount} a {merchant}",
        payment_code: "Codice di pagamento",
        your_order: "Il tuo ordine",
        order_ref: "Riferimento ordine: {reference}",
        total: "Totale",
        receipt: "Ricevuta (PDF)",
        how_to_pay: "Come pagare",
        step_open: "Apri l’app Electroneum.",
        step_scan: "Inquadra il codice QR oppure tocca «Paga con Electroneum» su questo telefono.",
        step_confirm: "Controlla l’importo e conferma il pagamento.",
        language: "Lingua",
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
        test_mode: "Testmodus",
        simulate: "Betaling simuleren (testmodus)",
        cancel_return: "Annuleren en terug naar {merchant}",
        back_to_shop: "Terug naar {merchant}",
        not_found: "Betaalverzoek niet gevonden",
        not_found_body: "Deze betaallink is ongeldig.",
        cancelled: "Dit betaalverzoek is geannuleerd.",
        title: "{amount} betalen aan {merchant}",
        payment_code: "Betaalcode",
        your_order: "Je bestelling",
        order_ref: "Bestelnummer: {reference}",
        total: "Totaal",
        receipt: "Betaalbewijs (PDF)",
        how_to_pay: "Zo betaal je",
        step_open: "Open de Electroneum-app.",
        step_scan: "Scan de QR-code of tik op deze telefoon op ‘Betalen met Electroneum’.",
        step_confirm: "Controleer het bedrag en bevestig de betaling.",
        language: "Taal",
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
        test_mode: "Modo de teste",
        simulate: "Simular pagamento (modo de teste)",
        cancel_return: "Cancelar e voltar para {merchant}",
        back_to_shop: "Voltar para {merchant}",
        not_found: "Cobrança não encontrada",
        not_found_body: "Este link de pagamento não é válido.",
        cancelled: "Esta cobrança foi cancelada.",
        title: "Pagar {amount} para {merchant}",
        payment_code: "Código de pagamento",
        your_order: "Seu pedido",
        order_ref: "Referência do pedido: {reference}",
        total: "Total",
        receipt: "Recibo (PDF)",
        how_to_pay: "Como pagar",
        step_open: "Abra o app Electroneum.",
        step_scan: "Escaneie o código QR ou toque em “Pagar com Electroneum” neste celular.",
        step_confirm: "Confira o valor e confirme o pagamento.",
        language: "Idioma",
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
        test_mode: "Modo de teste",
        simulate: "Simular pagamento (modo de teste)",
        cancel_return: "Cancelar e voltar a {merchant}",
        back_to_shop: "Voltar a {merchant}",
        not_found: "Pedido de pagamento não encontrado",
        not_found_body: "Esta ligação de pagamento não é válida.",
        cancelled: "Este pedido de pagamento foi cancelado.",
        title: "Pagar {amount} a {merchant}",
        payment_code: "Código de pagamento",
        your_order: "A sua encomenda",
        order_ref: "Referência da encomenda: {reference}",
        total: "Total",
        receipt: "Recibo (PDF)",
        how_to_pay: "Como pagar",
        step_open: "Abra a app Electroneum.",
        step_scan: "Digitalize o código QR ou toque em «Pagar com Electroneum» neste telemóvel.",
        step_confirm: "Verifique o montante e confirme o pagamento.",
        language: "Idioma",
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
        test_mode: "Mod de test",
        simulate: "Simulează plata (mod de test)",
        cancel_return: "Anulează și revino la {merchant}",
        back_to_shop: "Înapoi la {merchant}",
        not_found: "Cererea de plată nu a fost găsită",
        not_found_body: "Acest link de plată nu este valid.",
        cancelled: "Această cerere de plată a fost anulată.",
        title: "Plătește {amount} către {merchant}",
        payment_code: "Cod de plată",
        your_order: "Comanda ta",
        order_ref: "Referința comenzii: {reference}",
        total: "Total",
        receipt: "Chitanță (PDF)",
        how_to_pay: "Cum plătești",
        step_open: "Deschide aplicația Electroneum.",
        step_scan: "Scanează codul QR sau atinge „Plătește cu Electroneum” pe acest telefon.",
        step_confirm: "Verifică suma și confirmă plata.",
        language: "Limbă",
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
        test_mode: "Тестовый режим",
        simulate: "Имитировать оплату (тестовый режим)",
        cancel_return: "Отменить и вернуться в магазин {merchant}",
        back_to_shop: "Вернуться в магазин {merchant}",
        not_found: "Счёт не найден",
        not_found_body: "Эта ссылка на оплату недействительна.",
        cancelled: "Этот счёт отменён.",
        title: "Оплата {amount} — {merchant}",
        payment_code: "Код оплаты",
        your_order: "Ваш заказ",
        order_ref: "Номер заказа: {reference}",
        total: "Итого",
        receipt: "Чек (PDF)",
        how_to_pay: "Как оплатить",
        step_open: "Откройте приложение Electroneum.",
        step_scan: "Отсканируйте QR-код или нажмите «Оплатить через Electroneum» на этом телефоне.",
        step_confirm: "Проверьте сумму и подтвердите оплату.",
        language: "Язык",
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
        test_mode: "Test modu",
        simulate: "Ödemeyi simüle et (test modu)",
        cancel_return: "İptal et ve {merchant} sitesine dön",
        back_to_shop: "{merchant} sitesine dön",
        not_found: "Ödeme talebi bulunamadı",
        not_found_body: "Bu ödeme bağlantısı geçerli değil.",
        cancelled: "Bu ödeme talebi iptal edildi.",
        title: "{merchant} için {amount} ödeyin",
        payment_code: "Ödeme kodu",
        your_order: "Siparişiniz",
        order_ref: "Sipariş numarası: {reference}",
        total: "Toplam",
        receipt: "Makbuz (PDF)",
        how_to_pay: "Nasıl ödenir",
        step_open: "Electroneum uygulamasını açın.",
        step_scan: "QR kodu tarayın veya bu telefonda “Electroneum ile öde” düğmesine dokunun.",
        step_confirm: "Tutarı kontrol edin ve ödemeyi onaylayın.",
        language: "Dil",
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
        test_mode: "टेस्ट मोड",
        simulate: "भुगतान सिम्युलेट करें (टेस्ट मोड)",
        cancel_return: "रद्द करें और {merchant} पर वापस जाएँ",
        back_to_shop: "{merchant} पर वापस जाएँ",
        not_found: "चेकआउट नहीं मिला",
        not_found_body: "यह चेकआउट लिंक मान्य नहीं है।",
        cancelled: "यह चेकआउट रद्द कर दिया गया।",
        title: "{merchant} को {amount} का भुगतान करें",
        payment_code: "भुगतान कोड",
        your_order: "आपका ऑर्डर",
        order_ref: "ऑर्डर संदर्भ: {reference}",
        total: "कुल",
        receipt: "रसीद (PDF)",
        how_to_pay: "भुगतान कैसे करें",
        step_open: "Electroneum ऐप खोलें।",
        step_scan: "QR कोड स्कैन करें, या इसी फ़ोन पर “Electroneum से भुगतान करें” पर टैप करें।",
        step_confirm: "राशि जाँचें और भुगतान की पुष्टि करें।",
        language: "भाषा",
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
        test_mode: "Mode uji",
        simulate: "Simulasikan pembayaran (mode uji)",
        cancel_return: "Batalkan dan kembali ke {merchant}",
        back_to_shop: "Kembali ke {merchant}",
        not_found: "Transaksi tidak ditemukan",
        not_found_body: "Tautan pembayaran ini tidak valid.",
        cancelled: "Transaksi ini telah dibatalkan.",
        title: "Bayar {amount} ke {merchant}",
        payment_code: "Kode pembayaran",
        your_order: "Pesanan Anda",
        order_ref: "Referensi pesanan: {reference}",
        total: "Total",
        receipt: "Bukti pembayaran (PDF)",
        how_to_pay: "Cara membayar",
        step_open: "Buka aplikasi Electroneum.",
        step_scan: "Pindai kode QR, atau ketuk “Bayar dengan Electroneum” di ponsel ini.",
        step_confirm: "Periksa jumlahnya, lalu konfirmasi pembayaran.",
        language: "Bahasa",
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
        test_mode: "テストモード",
        simulate: "支払いをシミュレート（テストモード）",
        cancel_return: "キャンセルして {merchant} に戻る",
        back_to_shop: "{merchant} に戻る",
        not_found: "決済ページが見つかりません",
        not_found_body: "この決済リンクは無効です。",
        cancelled: "この決済はキャンセルされました。",
        title: "{merchant} に {amount} を支払う",
        payment_code: "支払いコード",
        your_order: "ご注文内容",
        order_ref: "注文番号：{reference}",
        total: "合計",
        receipt: "領収書（PDF）",
        how_to_pay: "お支払い方法",
        step_open: "Electroneumアプリを開きます。",
        step_scan: "QRコードをスキャンするか、このスマートフォンで「Electroneumで支払う」をタップします。",
        step_confirm: "金額を確認して、支払いを確定します。",
        language: "言語",
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
        test_mode: "របៀបសាកល្បង",
        simulate: "ក្លែងធ្វើការបង់ប្រាក់ (របៀបសាកល្បង)",
        cancel_return: "បោះបង់ ហើយត្រឡប់ទៅ {merchant} វិញ",
        back_to_shop: "ត្រឡប់ទៅ {merchant} វិញ",
        not_found: "រកមិនឃើញការទូទាត់",
        not_found_body: "តំណការទូទាត់នេះមិនត្រឹមត្រូវទេ។",
        cancelled: "ការទូទាត់នេះត្រូវបានបោះបង់។",
        title: "បង់ {amount} ទៅ {merchant}",
        payment_code: "លេខកូដបង់ប្រាក់",
        your_order: "ការបញ្ជាទិញរបស់អ្នក",
        order_ref: "លេខយោងការបញ្ជាទិញ៖ {reference}",
        total: "សរុប",
        receipt: "បង្កាន់ដៃ (PDF)",
        how_to_pay: "របៀបបង់ប្រាក់",
        step_open: "បើកកម្មវិធី Electroneum។",
        step_scan: "ស្កេនកូដ QR ឬចុច «បង់ប្រាក់ជាមួយ Electroneum» នៅលើទូរសព្ទនេះ។",
        step_confirm: "ពិនិត្យចំនួនទឹកប្រាក់ ហើយបញ្ជាក់ការបង់ប្រាក់។",
        language: "ភាសា",
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
        test_mode: "테스트 모드",
        simulate: "결제 시뮬레이션 (테스트 모드)",
        cancel_return: "취소하고 {merchant}(으)로 돌아가기",
        back_to_shop: "{merchant}(으)로 돌아가기",
        not_found: "결제 페이지를 찾을 수 없습니다",
        not_found_body: "이 결제 링크는 유효하지 않습니다.",
        cancelled: "이 결제는 취소되었습니다.",
        title: "{merchant}에 {amount} 결제",
        payment_code: "결제 코드",
        your_order: "주문 내역",
        order_ref: "주문 번호: {reference}",
        total: "합계",
        receipt: "영수증 (PDF)",
        how_to_pay: "결제 방법",
        step_open: "Electroneum 앱을 엽니다.",
        step_scan: "QR 코드를 스캔하거나, 이 휴대폰에서 “Electroneum으로 결제”를 탭합니다.",
        step_confirm: "금액을 확인한 후 결제를 승인합니다.",
        language: "언어",
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
        test_mode: "โหมดทดสอบ",
        simulate: "จำลองการชำระเงิน (โหมดทดสอบ)",
        cancel_return: "ยกเลิกและกลับไปที่ {merchant}",
        back_to_shop: "กลับไปที่ {merchant}",
        not_found: "ไม่พบรายการชำระเงิน",
        not_found_body: "ลิงก์ชำระเงินนี้ไม่ถูกต้อง",
        cancelled: "รายการนี้ถูกยกเลิกแล้ว",
        title: "ชำระ {amount} ให้ {merchant}",
        payment_code: "รหัสการชำระเงิน",
        your_order: "คำสั่งซื้อของคุณ",
        order_ref: "หมายเลขอ้างอิงคำสั่งซื้อ: {reference}",
        total: "ยอดรวม",
        receipt: "ใบเสร็จ (PDF)",
        how_to_pay: "วิธีชำระเงิน",
        step_open: "เปิดแอป Electroneum",
        step_scan: "สแกนคิวอาร์โค้ด หรือแตะ “ชำระเงินด้วย Electroneum” บนโทรศัพท์เครื่องนี้",
        step_confirm: "ตรวจสอบยอดเงินแล้วยืนยันการชำระเงิน",
        language: "ภาษา",
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
        test_mode: "ٹیسٹ موڈ",
        simulate: "فرضی ادائیگی کریں (ٹیسٹ موڈ)",
        cancel_return: "منسوخ کریں اور {merchant} پر واپس جائیں",
        back_to_shop: "{merchant} پر واپس جائیں",
        not_found: "چیک آؤٹ نہیں ملا",
        not_found_body: "یہ چیک آؤٹ لنک درست نہیں ہے۔",
        cancelled: "یہ چیک آؤٹ منسوخ کر دیا گیا۔",
        title: "{merchant} کو {amount} ادا کریں",
        payment_code: "ادائیگی کوڈ",
        your_order: "آپ کا آرڈر",
        order_ref: "آرڈر کا حوالہ: {reference}",
        total: "کل رقم",
        receipt: "رسید (PDF)",
        how_to_pay: "ادائیگی کا طریقہ",
        step_open: "Electroneum ایپ کھولیں۔",
        step_scan: "QR کوڈ اسکین کریں، یا اسی فون پر “Electroneum سے ادائیگی کریں” پر ٹیپ کریں۔",
        step_confirm: "رقم چیک کریں اور ادائیگی کی تصدیق کریں۔",
        language: "زبان",
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
        test_mode: "Chế độ thử nghiệm",
        simulate: "Mô phỏng thanh toán (chế độ thử nghiệm)",
        cancel_return: "Hủy và quay lại {merchant}",
        back_to_shop: "Quay lại {merchant}",
        not_found: "Không tìm thấy phiên thanh toán",
        not_found_body: "Liên kết thanh toán này không hợp lệ.",
        cancelled: "Phiên thanh toán này đã bị hủy.",
        title: "Thanh toán {amount} cho {merchant}",
        payment_code: "Mã thanh toán",
        your_order: "Đơn hàng của bạn",
        order_ref: "Mã tham chiếu đơn hàng: {reference}",
        total: "Tổng cộng",
        receipt: "Biên lai (PDF)",
        how_to_pay: "Cách thanh toán",
        step_open: "Mở ứng dụng Electroneum.",
        step_scan: "Quét mã QR, hoặc chạm vào “Thanh toán bằng Electroneum” trên điện thoại này.",
        step_confirm: "Kiểm tra số tiền và xác nhận thanh toán.",
        language: "Ngôn ngữ",
    }
    "zh-hant zh-tw zh-hk zh-mo" => {
        tag: "zh-Hant",
        rtl: false,
        caption: "使用 Electroneum App 掃描付款",
        pay: "使用 Electroneum 付款",
        copy: "複製付款碼",
        copied: "已複製付款碼",
        invalid: "此付款碼無效。",
        waiting: "等待付款中…",
        paid: "付款完成，謝謝！",
        expired: "此筆付款已過期。",
        expires_in: "剩餘時間",
        retrying: "無法連線至付款伺服器，正在重試…",
        qr_label: "向門市 {outlet} 支付 {amount} ETN 的 QR 碼，付款編號 {id}",
        partially_paid: "已收到 {total} ETN 中的 {received} ETN。尚需支付：{due} ETN。",
        needs_review: "您的款項在此結帳逾期後才入帳，商家將會確認此筆付款。",
        paid_over: "付款完成。您多付了 {excess} ETN，商家將會退還。",
        ended_refund: "此結帳已結束。商家將退還已收到的 {received} ETN。",
        test_mode: "測試模式",
        simulate: "模擬付款（測試模式）",
        cancel_return: "取消並返回 {merchant}",
        back_to_shop: "返回 {merchant}",
        not_found: "找不到結帳頁面",
        not_found_body: "此結帳連結無效。",
        cancelled: "此結帳已取消。",
        title: "向 {merchant} 支付 {amount}",
        payment_code: "付款碼",
        your_order: "您的訂單",
        order_ref: "訂單編號：{reference}",
        total: "總計",
        receipt: "收據（PDF）",
        how_to_pay: "如何付款",
        step_open: "開啟 Electroneum App。",
        step_scan: "掃描 QR 碼，或在這支手機上點按「使用 Electroneum 付款」。",
        step_confirm: "核對金額並確認付款。",
        language: "語言",
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
        test_mode: "测试模式",
        simulate: "模拟付款（测试模式）",
        cancel_return: "取消并返回 {merchant}",
        back_to_shop: "返回 {merchant}",
        not_found: "未找到结账页面",
        not_found_body: "此结账链接无效。",
        cancelled: "本次结账已取消。",
        title: "向 {merchant} 支付 {amount}",
        payment_code: "付款码",
        your_order: "您的订单",
        order_ref: "订单编号：{reference}",
        total: "合计",
        receipt: "收据（PDF）",
        how_to_pay: "如何付款",
        step_open: "打开 Electroneum 应用。",
        step_scan: "扫描二维码，或在本机上轻点“使用 Electroneum 支付”。",
        step_confirm: "核对金额并确认付款。",
        language: "语言",
    }
    "ms" => {
        tag: "ms",
        rtl: false,
        caption: "Imbas dengan aplikasi Electroneum untuk membayar",
        pay: "Bayar dengan Electroneum",
        copy: "Salin kod pembayaran",
        copied: "Kod pembayaran telah disalin",
        invalid: "Kod pembayaran ini tidak sah.",
        waiting: "Menunggu pembayaran…",
        paid: "Telah dibayar. Terima kasih!",
        expired: "Pembayaran ini telah tamat tempoh.",
        expires_in: "Tamat dalam",
        retrying: "Tidak dapat menghubungi pelayan pembayaran. Mencuba semula…",
        qr_label: "Kod QR untuk membayar {amount} ETN kepada kedai {outlet}, pembayaran {id}",
        partially_paid: "{received} daripada {total} ETN telah diterima. Baki perlu dibayar: {due} ETN.",
        needs_review: "Pembayaran anda diterima selepas urus niaga ini tamat tempoh. Peniaga akan mengesahkannya.",
        paid_over: "Telah dibayar. Anda membayar {excess} ETN lebih daripada jumlah yang perlu dibayar: peniaga akan memulangkannya.",
        ended_refund: "Urus niaga ini telah tamat. Peniaga akan memulangkan {received} ETN yang telah diterima.",
        test_mode: "Mod ujian",
        simulate: "Simulasikan pembayaran (mod ujian)",
        cancel_return: "Batal dan kembali ke {merchant}",
        back_to_shop: "Kembali ke {merchant}",
        not_found: "Urus niaga tidak ditemui",
        not_found_body: "Pautan pembayaran ini tidak sah.",
        cancelled: "Urus niaga ini telah dibatalkan.",
        title: "Bayar {amount} kepada {merchant}",
        payment_code: "Kod pembayaran",
        your_order: "Pesanan anda",
        order_ref: "Rujukan pesanan: {reference}",
        total: "Jumlah",
        receipt: "Resit (PDF)",
        how_to_pay: "Cara membayar",
        step_open: "Buka aplikasi Electroneum.",
        step_scan: "Imbas kod QR, atau ketik “Bayar dengan Electroneum” pada telefon ini.",
        step_confirm: "Semak jumlah dan sahkan pembayaran.",
        language: "Bahasa",
    }
    "fil tl" => {
        tag: "fil",
        rtl: false,
        caption: "I-scan gamit ang Electroneum app para magbayad",
        pay: "Magbayad gamit ang Electroneum",
        copy: "Kopyahin ang payment code",
        copied: "Nakopya na ang payment code",
        invalid: "Hindi valid ang payment code na ito.",
        waiting: "Hinihintay ang bayad…",
        paid: "Bayad na. Salamat!",
        expired: "Nag-expire na ang bayad na ito.",
        expires_in: "Mag-e-expire sa loob ng",
        retrying: "Hindi maabot ang payment server. Sinusubukang muli…",
        qr_label: "QR code para magbayad ng {amount} ETN sa outlet {outlet}, bayad {id}",
        partially_paid: "Natanggap ang {received} sa {total} ETN. Babayaran pa: {due} ETN.",
        needs_review: "Dumating ang iyong bayad pagkatapos mag-expire ng checkout na ito. Kukumpirmahin ito ng merchant.",
        paid_over: "Bayad na. Sumobra nang {excess} ETN ang ibinayad mo: ire-refund ito ng merchant.",
        ended_refund: "Tapos na ang checkout na ito. Ire-refund ng merchant ang natanggap na {received} ETN.",
        test_mode: "Test mode",
        simulate: "I-simulate ang bayad (test mode)",
        cancel_return: "Kanselahin at bumalik sa {merchant}",
        back_to_shop: "Bumalik sa {merchant}",
        not_found: "Hindi nahanap ang checkout",
        not_found_body: "Hindi valid ang checkout link na ito.",
        cancelled: "Kinansela ang checkout na ito.",
        title: "Magbayad ng {amount} sa {merchant}",
        payment_code: "Payment code",
        your_order: "Ang iyong order",
        order_ref: "Reference ng order: {reference}",
        total: "Kabuuan",
        receipt: "Resibo (PDF)",
        how_to_pay: "Paano magbayad",
        step_open: "Buksan ang Electroneum app.",
        step_scan: "I-scan ang QR code, o i-tap ang “Magbayad gamit ang Electroneum” sa phone na ito.",
        step_confirm: "Tingnan ang halaga at kumpirmahin ang bayad.",
        language: "Wika",
    }
    "ar" => {
        tag: "ar",
        rtl: true,
        caption: "امسح الرمز بتطبيق Electroneum للدفع",
        pay: "ادفع عبر Electroneum",
        copy: "نسخ رمز الدفع",
        copied: "تم نسخ رمز الدفع",
        invalid: "رمز الدفع هذا غير صالح.",
        waiting: "في انتظار الدفع…",
        paid: "تم الدفع. شكرًا لك!",
        expired: "انتهت صلاحية عملية الدفع هذه.",
        expires_in: "تنتهي الصلاحية خلال",
        retrying: "تعذّر الاتصال بخادم الدفع. جارٍ إعادة المحاولة…",
        qr_label: "رمز QR لدفع {amount} ETN إلى نقطة البيع {outlet}، الدفعة {id}",
        partially_paid: "تم استلام {received} من أصل {total} ETN. المبلغ المتبقي: {due} ETN.",
        needs_review: "وصلت دفعتك بعد انتهاء صلاحية عملية الدفع هذه. سيؤكدها التاجر.",
        paid_over: "تم الدفع. لقد دفعت {excess} ETN أكثر من المبلغ المستحق، وسيُعيدها التاجر إليك.",
        ended_refund: "انتهت عملية الدفع هذه. سيُعيد التاجر المبلغ المستلم وقدره {received} ETN.",
        test_mode: "وضع الاختبار",
        simulate: "محاكاة الدفع (وضع الاختبار)",
        cancel_return: "إلغاء والعودة إلى {merchant}",
        back_to_shop: "العودة إلى {merchant}",
        not_found: "لم يتم العثور على صفحة الدفع",
        not_found_body: "رابط الدفع هذا غير صالح.",
        cancelled: "تم إلغاء عملية الدفع هذه.",
        title: "ادفع {amount} إلى {merchant}",
        payment_code: "رمز الدفع",
        your_order: "طلبك",
        order_ref: "مرجع الطلب: {reference}",
        total: "الإجمالي",
        receipt: "الإيصال (PDF)",
        how_to_pay: "طريقة الدفع",
        step_open: "افتح تطبيق Electroneum.",
        step_scan: "امسح رمز QR، أو اضغط على «ادفع عبر Electroneum» على هذا الهاتف.",
        step_confirm: "تحقّق من المبلغ ثم أكّد الدفع.",
        language: "اللغة",
    }
    "he iw" => {
        tag: "he",
        rtl: true,
        caption: "סרקו באפליקציית Electroneum כדי לשלם",
        pay: "תשלום באמצעות Electroneum",
        copy: "העתקת קוד התשלום",
        copied: "קוד התשלום הועתק",
        invalid: "קוד התשלום הזה אינו תקין.",
        waiting: "ממתינים לתשלום…",
        paid: "התשלום בוצע. תודה!",
        expired: "תוקף התשלום הזה פג.",
        expires_in: "התוקף יפוג בעוד",
        retrying: "אין חיבור לשרת התשלומים. מנסים שוב…",
        qr_label: "קוד QR לתשלום {amount} ETN לנקודת המכירה {outlet}, תשלום {id}",
        partially_paid: "התקבלו {received} מתוך {total} ETN. נותר לתשלום: {due} ETN.",
        needs_review: "התשלום שלך התקבל אחרי שפג תוקף דף התשלום הזה. בית העסק יאשר אותו.",
        paid_over: "התשלום בוצע. שילמת {excess} ETN יותר מהסכום הנדרש: בית העסק יחזיר לך את ההפרש.",
        ended_refund: "דף התשלום הזה כבר לא פעיל. בית העסק יחזיר את {received} ETN שהתקבלו.",
        test_mode: "מצב בדיקה",
        simulate: "הדמיית תשלום (מצב בדיקה)",
        cancel_return: "ביטול וחזרה אל {merchant}",
        back_to_shop: "חזרה אל {merchant}",
        not_found: "דף התשלום לא נמצא",
        not_found_body: "קישור התשלום הזה אינו תקין.",
        cancelled: "התשלום הזה בוטל.",
        title: "תשלום {amount} אל {merchant}",
        payment_code: "קוד תשלום",
        your_order: "ההזמנה שלך",
        order_ref: "מספר הזמנה: {reference}",
        total: "סה״כ",
        receipt: "קבלה (PDF)",
        how_to_pay: "איך משלמים",
        step_open: "פתחו את אפליקציית Electroneum.",
        step_scan: "סרקו את קוד ה־QR, או הקישו על “תשלום באמצעות Electroneum” בטלפון הזה.",
        step_confirm: "בדקו את הסכום ואשרו את התשלום.",
        language: "שפה",
    }
    "fa" => {
        tag: "fa",
        rtl: true,
        caption: "برای پرداخت، با اپلیکیشن Electroneum اسکن کنید",
        pay: "پرداخت با Electroneum",
        copy: "کپی کد پرداخت",
        copied: "کد پرداخت کپی شد",
        invalid: "این کد پرداخت نامعتبر است.",
        waiting: "در انتظار پرداخت…",
        paid: "پرداخت انجام شد. سپاسگزاریم!",
        expired: "مهلت این پرداخت به پایان رسیده است.",
        expires_in: "زمان باقی‌مانده:",
        retrying: "دسترسی به سرور پرداخت ممکن نیست. در حال تلاش دوباره…",
        qr_label: "کد QR برای پرداخت {amount} ETN به شعبهٔ {outlet}، پرداخت {id}",
        partially_paid: "{received} از {total} ETN دریافت شد. مبلغ باقی‌مانده: {due} ETN.",
        needs_review: "پرداخت شما پس از پایان مهلت این صورت‌حساب رسید. فروشنده آن را تأیید خواهد کرد.",
        paid_over: "پرداخت انجام شد. شما {excess} ETN بیش از مبلغ لازم پرداخت کردید؛ فروشنده مبلغ اضافه را بازمی‌گرداند.",
        ended_refund: "این صورت‌حساب بسته شده است. فروشنده {received} ETN دریافتی را بازمی‌گرداند.",
        test_mode: "حالت آزمایشی",
        simulate: "شبیه‌سازی پرداخت (حالت آزمایشی)",
        cancel_return: "لغو و بازگشت به {merchant}",
        back_to_shop: "بازگشت به {merchant}",
        not_found: "صفحهٔ پرداخت پیدا نشد",
        not_found_body: "این پیوند پرداخت معتبر نیست.",
        cancelled: "این پرداخت لغو شده است.",
        title: "پرداخت {amount} به {merchant}",
        payment_code: "کد پرداخت",
        your_order: "سفارش شما",
        order_ref: "شمارهٔ سفارش: {reference}",
        total: "جمع کل",
        receipt: "رسید (PDF)",
        how_to_pay: "روش پرداخت",
        step_open: "اپلیکیشن Electroneum را باز کنید.",
        step_scan: "کد QR را اسکن کنید یا در همین گوشی روی «پرداخت با Electroneum» بزنید.",
        step_confirm: "مبلغ را بررسی کنید و پرداخت را تأیید کنید.",
        language: "زبان",
    }
    "bg" => {
        tag: "bg",
        rtl: false,
        caption: "Сканирайте с приложението Electroneum, за да платите",
        pay: "Плащане с Electroneum",
        copy: "Копиране на кода за плащане",
        copied: "Кодът за плащане е копиран",
        invalid: "Този код за плащане е невалиден.",
        waiting: "Изчакване на плащането…",
        paid: "Платено. Благодарим ви!",
        expired: "Срокът за това плащане изтече.",
        expires_in: "Изтича след",
        retrying: "Няма връзка със сървъра за плащания. Нов опит…",
        qr_label: "QR код за плащане на {amount} ETN към обект {outlet}, плащане {id}",
        partially_paid: "Получени {received} от {total} ETN. Остават за плащане: {due} ETN.",
        needs_review: "Плащането ви пристигна след изтичането на срока за плащане. Търговецът ще го потвърди.",
        paid_over: "Платено. Платихте с {excess} ETN повече от дължимото: търговецът ще ви ги възстанови.",
        ended_refund: "Това плащане е приключено. Търговецът ще възстанови получените {received} ETN.",
        test_mode: "Тестов режим",
        simulate: "Симулиране на плащане (тестов режим)",
        cancel_return: "Отказ и връщане към {merchant}",
        back_to_shop: "Обратно към {merchant}",
        not_found: "Плащането не е намерено",
        not_found_body: "Тази връзка за плащане не е валидна.",
        cancelled: "Това плащане беше отменено.",
        title: "Плащане на {amount} към {merchant}",
        payment_code: "Код за плащане",
        your_order: "Вашата поръчка",
        order_ref: "Номер на поръчката: {reference}",
        total: "Общо",
        receipt: "Разписка (PDF)",
        how_to_pay: "Как да платите",
        step_open: "Отворете приложението Electroneum.",
        step_scan: "Сканирайте QR кода или докоснете „Плащане с Electroneum“ на този телефон.",
        step_confirm: "Проверете сумата и потвърдете плащането.",
        language: "Език",
    }
    "cs" => {
        tag: "cs",
        rtl: false,
        caption: "Naskenujte v aplikaci Electroneum a zaplaťte",
        pay: "Zaplatit přes Electroneum",
        copy: "Kopírovat platební kód",
        copied: "Platební kód zkopírován",
        invalid: "Tento platební kód je neplatný.",
        waiting: "Čekáme na platbu…",
        paid: "Zaplaceno. Děkujeme!",
        expired: "Platnost této platby vypršela.",
        expires_in: "Vyprší za",
        retrying: "Platební server je nedostupný. Zkoušíme to znovu…",
        qr_label: "QR kód pro platbu {amount} ETN provozovně {outlet}, platba {id}",
        partially_paid: "Přijato {received} z {total} ETN. Zbývá zaplatit: {due} ETN.",
        needs_review: "Vaše platba dorazila až po vypršení lhůty k zaplacení. Obchodník ji potvrdí.",
        paid_over: "Zaplaceno. Zaplatili jste o {excess} ETN více, než bylo třeba: obchodník vám rozdíl vrátí.",
        ended_refund: "Tato platba byla ukončena. Obchodník vrátí přijatou částku {received} ETN.",
        test_mode: "Testovací režim",
        simulate: "Simulovat platbu (testovací režim)",
        cancel_return: "Zrušit a vrátit se do obchodu {merchant}",
        back_to_shop: "Zpět do obchodu {merchant}",
        not_found: "Platba nenalezena",
        not_found_body: "Tento platební odkaz není platný.",
        cancelled: "Tato platba byla zrušena.",
        title: "Platba {amount} obchodu {merchant}",
        payment_code: "Platební kód",
        your_order: "Vaše objednávka",
        order_ref: "Číslo objednávky: {reference}",
        total: "Celkem",
        receipt: "Potvrzení o platbě (PDF)",
        how_to_pay: "Jak zaplatit",
        step_open: "Otevřete aplikaci Electroneum.",
        step_scan: "Naskenujte QR kód, nebo na tomto telefonu klepněte na „Zaplatit přes Electroneum“.",
        step_confirm: "Zkontrolujte částku a potvrďte platbu.",
        language: "Jazyk",
    }
    "el" => {
        tag: "el",
        rtl: false,
        caption: "Σαρώστε με την εφαρμογή Electroneum για να πληρώσετε",
        pay: "Πληρωμή με Electroneum",
        copy: "Αντιγραφή κωδικού πληρωμής",
        copied: "Ο κωδικός πληρωμής αντιγράφηκε",
        invalid: "Αυτός ο κωδικός πληρωμής δεν είναι έγκυρος.",
        waiting: "Αναμονή πληρωμής…",
        paid: "Η πληρωμή ολοκληρώθηκε. Ευχαριστούμε!",
        expired: "Αυτή η πληρωμή έχει λήξει.",
        expires_in: "Λήγει σε",
        retrying: "Δεν είναι δυνατή η σύνδεση με τον διακομιστή πληρωμών. Νέα προσπάθεια…",
        qr_label: "Κωδικός QR για πληρωμή {amount} ETN στο κατάστημα {outlet}, πληρωμή {id}",
        partially_paid: "Ελήφθησαν {received} από {total} ETN. Υπόλοιπο προς πληρωμή: {due} ETN.",
        needs_review: "Η πληρωμή σας έφτασε μετά τη λήξη αυτής της συναλλαγής. Ο έμπορος θα την επιβεβαιώσει.",
        paid_over: "Η πληρωμή ολοκληρώθηκε. Πληρώσατε {excess} ETN περισσότερα από το οφειλόμενο: ο έμπορος θα σας τα επιστρέψει.",
        ended_refund: "Αυτή η συναλλαγή έχει λήξει. Ο έμπορος θα επιστρέψει τα {received} ETN που ελήφθησαν.",
        test_mode: "Δοκιμαστική λειτουργία",
        simulate: "Προσομοίωση πληρωμής (δοκιμαστική λειτουργία)",
        cancel_return: "Ακύρωση και επιστροφή στο κατάστημα {merchant}",
        back_to_shop: "Επιστροφή στο κατάστημα {merchant}",
        not_found: "Η πληρωμή δεν βρέθηκε",
        not_found_body: "Αυτός ο σύνδεσμος πληρωμής δεν είναι έγκυρος.",
        cancelled: "Αυτή η πληρωμή ακυρώθηκε.",
        title: "Πληρωμή {amount} προς {merchant}",
        payment_code: "Κωδικός πληρωμής",
        your_order: "Η παραγγελία σας",
        order_ref: "Αριθμός παραγγελίας: {reference}",
        total: "Σύνολο",
        receipt: "Απόδειξη (PDF)",
        how_to_pay: "Πώς να πληρώσετε",
        step_open: "Ανοίξτε την εφαρμογή Electroneum.",
        step_scan: "Σαρώστε τον κωδικό QR ή πατήστε «Πληρωμή με Electroneum» σε αυτό το τηλέφωνο.",
        step_confirm: "Ελέγξτε το ποσό και επιβεβαιώστε την πληρωμή.",
        language: "Γλώσσα",
    }
    "hr" => {
        tag: "hr",
        rtl: false,
        caption: "Skenirajte aplikacijom Electroneum za plaćanje",
        pay: "Plati aplikacijom Electroneum",
        copy: "Kopiraj kôd za plaćanje",
        copied: "Kôd za plaćanje je kopiran",
        invalid: "Ovaj kôd za plaćanje nije valjan.",
        waiting: "Čeka se uplata…",
        paid: "Plaćeno. Hvala!",
        expired: "Ovo plaćanje je isteklo.",
        expires_in: "Istječe za",
        retrying: "Poslužitelj za plaćanje nije dostupan. Ponovni pokušaj…",
        qr_label: "QR kôd za plaćanje {amount} ETN prodajnom mjestu {outlet}, plaćanje {id}",
        partially_paid: "Primljeno {received} od {total} ETN. Preostaje za plaćanje: {due} ETN.",
        needs_review: "Vaša je uplata stigla nakon isteka roka za plaćanje. Trgovac će je potvrditi.",
        paid_over: "Plaćeno. Platili ste {excess} ETN više nego što je trebalo: trgovac će vam vratiti razliku.",
        ended_refund: "Ovo plaćanje je završeno. Trgovac će vratiti primljeni iznos od {received} ETN.",
        test_mode: "Testni način",
        simulate: "Simuliraj plaćanje (testni način)",
        cancel_return: "Odustani i vrati se u trgovinu {merchant}",
        back_to_shop: "Povratak u trgovinu {merchant}",
        not_found: "Plaćanje nije pronađeno",
        not_found_body: "Ova poveznica za plaćanje nije valjana.",
        cancelled: "Ovo plaćanje je otkazano.",
        title: "Plaćanje {amount} trgovcu {merchant}",
        payment_code: "Kôd za plaćanje",
        your_order: "Vaša narudžba",
        order_ref: "Broj narudžbe: {reference}",
        total: "Ukupno",
        receipt: "Potvrda o plaćanju (PDF)",
        how_to_pay: "Kako platiti",
        step_open: "Otvorite aplikaciju Electroneum.",
        step_scan: "Skenirajte QR kôd ili na ovom telefonu dodirnite „Plati aplikacijom Electroneum”.",
        step_confirm: "Provjerite iznos i potvrdite plaćanje.",
        language: "Jezik",
    }
    "hu" => {
        tag: "hu",
        rtl: false,
        caption: "Fizetéshez olvassa be a kódot az Electroneum alkalmazással",
        pay: "Fizetés Electroneummal",
        copy: "Fizetési kód másolása",
        copied: "Fizetési kód kimásolva",
        invalid: "Ez a fizetési kód érvénytelen.",
        waiting: "Várakozás a fizetésre…",
        paid: "Kifizetve. Köszönjük!",
        expired: "Ez a fizetés lejárt.",
        expires_in: "Hátralévő idő:",
        retrying: "A fizetési szerver nem érhető el. Újrapróbálkozás…",
        qr_label: "QR-kód {amount} ETN fizetéséhez a(z) {outlet} üzletnek, fizetés: {id}",
        partially_paid: "Beérkezett: {received} / {total} ETN. Még fizetendő: {due} ETN.",
        needs_review: "Fizetése a fizetési határidő lejárta után érkezett. A kereskedő megerősíti majd.",
        paid_over: "Kifizetve. A túlfizetést ({excess} ETN) a kereskedő visszatéríti.",
        ended_refund: "Ez a fizetés lezárult. A kereskedő visszatéríti a beérkezett összeget ({received} ETN).",
        test_mode: "Tesztmód",
        simulate: "Fizetés szimulálása (tesztmód)",
        cancel_return: "Mégse, vissza ide: {merchant}",
        back_to_shop: "Vissza ide: {merchant}",
        not_found: "A fizetés nem található",
        not_found_body: "Ez a fizetési link nem érvényes.",
        cancelled: "Ezt a fizetést visszavonták.",
        title: "{amount} fizetése – {merchant}",
        payment_code: "Fizetési kód",
        your_order: "Az Ön rendelése",
        order_ref: "Rendelésszám: {reference}",
        total: "Összesen",
        receipt: "Nyugta (PDF)",
        how_to_pay: "A fizetés menete",
        step_open: "Nyissa meg az Electroneum alkalmazást.",
        step_scan: "Olvassa be a QR-kódot, vagy ezen a telefonon koppintson a „Fizetés Electroneummal” gombra.",
        step_confirm: "Ellenőrizze az összeget, és erősítse meg a fizetést.",
        language: "Nyelv",
    }
    "pl" => {
        tag: "pl",
        rtl: false,
        caption: "Zeskanuj w aplikacji Electroneum, aby zapłacić",
        pay: "Zapłać przez Electroneum",
        copy: "Kopiuj kod płatności",
        copied: "Skopiowano kod płatności",
        invalid: "Ten kod płatności jest nieprawidłowy.",
        waiting: "Oczekiwanie na płatność…",
        paid: "Zapłacono. Dziękujemy!",
        expired: "Ta płatność wygasła.",
        expires_in: "Wygasa za",
        retrying: "Brak połączenia z serwerem płatności. Ponawiamy próbę…",
        qr_label: "Kod QR do zapłaty {amount} ETN w punkcie {outlet}, płatność {id}",
        partially_paid: "Otrzymano {received} z {total} ETN. Pozostało do zapłaty: {due} ETN.",
        needs_review: "Twoja płatność dotarła po wygaśnięciu tej transakcji. Sprzedawca ją potwierdzi.",
        paid_over: "Zapłacono. Wpłacono o {excess} ETN więcej, niż należało: sprzedawca zwróci nadpłatę.",
        ended_refund: "Ta transakcja została zakończona. Sprzedawca zwróci otrzymaną kwotę {received} ETN.",
        test_mode: "Tryb testowy",
        simulate: "Symuluj płatność (tryb testowy)",
        cancel_return: "Anuluj i wróć do sklepu {merchant}",
        back_to_shop: "Wróć do sklepu {merchant}",
        not_found: "Nie znaleziono płatności",
        not_found_body: "Ten link do płatności jest nieprawidłowy.",
        cancelled: "Ta płatność została anulowana.",
        title: "Płatność {amount} dla {merchant}",
        payment_code: "Kod płatności",
        your_order: "Twoje zamówienie",
        order_ref: "Numer zamówienia: {reference}",
        total: "Razem",
        receipt: "Potwierdzenie płatności (PDF)",
        how_to_pay: "Jak zapłacić",
        step_open: "Otwórz aplikację Electroneum.",
        step_scan: "Zeskanuj kod QR lub dotknij „Zapłać przez Electroneum” na tym telefonie.",
        step_confirm: "Sprawdź kwotę i potwierdź płatność.",
        language: "Język",
    }
    "sk" => {
        tag: "sk",
        rtl: false,
        caption: "Naskenujte v aplikácii Electroneum a zaplaťte",
        pay: "Zaplatiť cez Electroneum",
        copy: "Kopírovať platobný kód",
        copied: "Platobný kód bol skopírovaný",
        invalid: "Tento platobný kód je neplatný.",
        waiting: "Čaká sa na platbu…",
        paid: "Zaplatené. Ďakujeme!",
        expired: "Platnosť tejto platby vypršala.",
        expires_in: "Vyprší o",
        retrying: "Platobný server je nedostupný. Skúšame to znova…",
        qr_label: "QR kód na platbu {amount} ETN prevádzke {outlet}, platba {id}",
        partially_paid: "Prijaté {received} z {total} ETN. Zostáva zaplatiť: {due} ETN.",
        needs_review: "Vaša platba prišla až po uplynutí lehoty na zaplatenie. Obchodník ju potvrdí.",
        paid_over: "Zaplatené. Zaplatili ste o {excess} ETN viac, než bolo treba: obchodník vám rozdiel vráti.",
        ended_refund: "Táto platba bola ukončená. Obchodník vráti prijatú sumu {received} ETN.",
        test_mode: "Testovací režim",
        simulate: "Simulovať platbu (testovací režim)",
        cancel_return: "Zrušiť a vrátiť sa do obchodu {merchant}",
        back_to_shop: "Späť do obchodu {merchant}",
        not_found: "Platba sa nenašla",
        not_found_body: "Tento platobný odkaz nie je platný.",
        cancelled: "Táto platba bola zrušená.",
        title: "Platba {amount} obchodu {merchant}",
        payment_code: "Platobný kód",
        your_order: "Vaša objednávka",
        order_ref: "Číslo objednávky: {reference}",
        total: "Spolu",
        receipt: "Potvrdenie o platbe (PDF)",
        how_to_pay: "Ako zaplatiť",
        step_open: "Otvorte aplikáciu Electroneum.",
        step_scan: "Naskenujte QR kód alebo na tomto telefóne ťuknite na „Zaplatiť cez Electroneum“.",
        step_confirm: "Skontrolujte sumu a potvrďte platbu.",
        language: "Jazyk",
    }
    "sl" => {
        tag: "sl",
        rtl: false,
        caption: "Za plačilo skenirajte z aplikacijo Electroneum",
        pay: "Plačaj prek Electroneum",
        copy: "Kopiraj plačilno kodo",
        copied: "Plačilna koda je kopirana",
        invalid: "Ta plačilna koda ni veljavna.",
        waiting: "Čakanje na plačilo…",
        paid: "Plačano. Hvala!",
        expired: "To plačilo je poteklo.",
        expires_in: "Poteče čez",
        retrying: "Plačilni strežnik ni dosegljiv. Ponovni poskus…",
        qr_label: "Koda QR za plačilo {amount} ETN prodajnemu mestu {outlet}, plačilo {id}",
        partially_paid: "Prejeto {received} od {total} ETN. Preostanek za plačilo: {due} ETN.",
        needs_review: "Vaše plačilo je prispelo po izteku roka za plačilo. Trgovec ga bo potrdil.",
        paid_over: "Plačano. Plačali ste {excess} ETN več, kot je bilo treba: trgovec vam bo razliko vrnil.",
        ended_refund: "To plačilo je zaključeno. Trgovec bo vrnil prejeti znesek {received} ETN.",
        test_mode: "Testni način",
        simulate: "Simuliraj plačilo (testni način)",
        cancel_return: "Prekliči in se vrni v trgovino {merchant}",
        back_to_shop: "Nazaj v trgovino {merchant}",
        not_found: "Plačila ni mogoče najti",
        not_found_body: "Ta povezava za plačilo ni veljavna.",
        cancelled: "To plačilo je bilo preklicano.",
        title: "Plačilo {amount} trgovcu {merchant}",
        payment_code: "Plačilna koda",
        your_order: "Vaše naročilo",
        order_ref: "Številka naročila: {reference}",
        total: "Skupaj",
        receipt: "Potrdilo o plačilu (PDF)",
        how_to_pay: "Kako plačati",
        step_open: "Odprite aplikacijo Electroneum.",
        step_scan: "Skenirajte kodo QR ali se na tem telefonu dotaknite „Plačaj prek Electroneum“.",
        step_confirm: "Preverite znesek in potrdite plačilo.",
        language: "Jezik",
    }
    "uk" => {
        tag: "uk",
        rtl: false,
        caption: "Відскануйте в застосунку Electroneum, щоб оплатити",
        pay: "Оплатити через Electroneum",
        copy: "Копіювати код оплати",
        copied: "Код оплати скопійовано",
        invalid: "Цей код оплати недійсний.",
        waiting: "Очікування оплати…",
        paid: "Оплачено. Дякуємо!",
        expired: "Термін оплати минув.",
        expires_in: "Спливає через",
        retrying: "Сервер оплати недоступний. Повторна спроба…",
        qr_label: "QR-код для оплати {amount} ETN у точці продажу {outlet}, платіж {id}",
        partially_paid: "Отримано {received} з {total} ETN. Залишилося сплатити: {due} ETN.",
        needs_review: "Ваш платіж надійшов після закінчення терміну дії цього рахунку. Продавець його підтвердить.",
        paid_over: "Оплачено. Ви сплатили на {excess} ETN більше, ніж потрібно: продавець поверне різницю.",
        ended_refund: "Цей рахунок більше не дійсний. Продавець поверне отриману суму {received} ETN.",
        test_mode: "Тестовий режим",
        simulate: "Імітувати оплату (тестовий режим)",
        cancel_return: "Скасувати й повернутися до магазину {merchant}",
        back_to_shop: "Повернутися до магазину {merchant}",
        not_found: "Оплату не знайдено",
        not_found_body: "Це посилання для оплати недійсне.",
        cancelled: "Цю оплату скасовано.",
        title: "Оплата {amount} — {merchant}",
        payment_code: "Код оплати",
        your_order: "Ваше замовлення",
        order_ref: "Номер замовлення: {reference}",
        total: "Разом",
        receipt: "Квитанція (PDF)",
        how_to_pay: "Як оплатити",
        step_open: "Відкрийте застосунок Electroneum.",
        step_scan: "Відскануйте QR-код або торкніться «Оплатити через Electroneum» на цьому телефоні.",
        step_confirm: "Перевірте суму й підтвердьте оплату.",
        language: "Мова",
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

    /// A sentence of the hosted page in this language.
    pub fn page(self, text: PageText) -> &'static str {
        nth(nth(PAGE, RS, self.0), US, text as usize)
    }

    /// The `lang` attribute value (BCP-47).
    pub fn tag(self) -> &'static str {
        nth(nth(TABLE, RS, self.0), US, 0)
    }

    /// Whether it is written right to left (`dir="rtl"`).
    pub fn rtl(self) -> bool {
        RTL.get(self.0).copied().unwrap_or(false)
    }

    /// Every language, in the table's order (English first).
    pub fn all() -> impl Iterator<Item = Lang> {
        (0..RTL.len()).map(Lang)
    }
}

/// Each language's name in itself, by tag (the page's language menu; the
/// widget links none of it).
const NATIVE_NAMES: &[(&str, &str)] = &[
    ("en", "English"),
    ("da", "Dansk"),
    ("et", "Eesti"),
    ("fi", "Suomi"),
    ("lt", "Lietuvių"),
    ("lv", "Latviešu"),
    ("nb", "Norsk bokmål"),
    ("sv", "Svenska"),
    ("de", "Deutsch"),
    ("es", "Español"),
    ("fr", "Français"),
    ("it", "Italiano"),
    ("nl", "Nederlands"),
    ("pt-BR", "Português (Brasil)"),
    ("pt", "Português"),
    ("ro", "Română"),
    ("ru", "Русский"),
    ("tr", "Türkçe"),
    ("hi", "हिन्दी"),
    ("id", "Bahasa Indonesia"),
    ("ja", "日本語"),
    ("km", "ខ្មែរ"),
    ("ko", "한국어"),
    ("th", "ไทย"),
    ("ur", "اردو"),
    ("vi", "Tiếng Việt"),
    ("zh-Hant", "繁體中文"),
    ("zh", "简体中文"),
    ("ms", "Bahasa Melayu"),
    ("fil", "Filipino"),
    ("ar", "العربية"),
    ("he", "עברית"),
    ("fa", "فارسی"),
    ("bg", "Български"),
    ("cs", "Čeština"),
    ("el", "Ελληνικά"),
    ("hr", "Hrvatski"),
    ("hu", "Magyar"),
    ("pl", "Polski"),
    ("sk", "Slovenčina"),
    ("sl", "Slovenščina"),
    ("uk", "Українська"),
];

/// A language's name in itself (`Deutsch`, `日本語`), for a language menu.
pub fn native_name(lang: Lang) -> &'static str {
    NATIVE_NAMES
        .iter()
        .find(|(tag, _)| *tag == lang.tag())
        .map_or(lang.tag(), |(_, name)| name)
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

/// The language of a code (`fr`, `pt-BR`, `ja`, `zh-Hans-CN`, `pt_br`,
/// `zh-TW`): the exact code first, then its first two subtags (`zh-Hant-TW`
/// is `zh-hant`), then its primary subtag. `None` when no language matches.
pub fn find(code: &str) -> Option<Lang> {
    let code: Vec<u8> = code
        .trim()
        .bytes()
        .map(|b| if b == b'_' { b'-' } else { b })
        .collect();
    if code.is_empty() || code.len() > 35 {
        return None;
    }
    let mut dashes = code
        .iter()
        .enumerate()
        .filter(|(_, &b)| b == b'-')
        .map(|(i, _)| i);
    let primary = dashes.next();
    let second = dashes.next();
    with_code(&code)
        .or_else(|| second.and_then(|i| with_code(&code[..i])))
        .or_else(|| primary.and_then(|i| with_code(&code[..i])))
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

/// The languages of an `Accept-Language` header, best first (`q` weights
/// honoured, `*` and `q=0` ignored, at most 16 entries read).
pub fn accepted(header: &str) -> Vec<Lang> {
    let mut weighted: Vec<(u16, usize, Lang)> = Vec::new();
    for (i, part) in header.split(',').take(16).enumerate() {
        let mut pieces = part.split(';');
        let code = pieces.next().unwrap_or("").trim();
        let q = pieces
            .find_map(|p| p.trim().strip_prefix("q="))
            .map_or(1000, |q| {
                q.trim()
                    .parse::<f32>()
                    .map_or(0, |q| (q.clamp(0.0, 1.0) * 1000.0) as u16)
            });
        if q == 0 || code == "*" {
            continue;
        }
        if let Some(lang) = find(code) {
            weighted.push((q, i, lang));
        }
    }
    weighted.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut out: Vec<Lang> = Vec::new();
    for (_, _, lang) in weighted {
        if !out.contains(&lang) {
            out.push(lang);
        }
    }
    out
}

/// Fills `{name}` slots of a sentence.
pub fn fill(sentence: &str, slots: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(sentence.len() + 32);
    let mut rest = sentence;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match slots.iter().find(|(n, _)| *n == name) {
                    Some((_, value)) => out.push_str(value),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
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
        assert_eq!(find("zh-TW").unwrap().tag(), "zh-Hant");
        assert_eq!(find("zh-Hant-HK").unwrap().tag(), "zh-Hant");
        assert_eq!(find("iw").unwrap().tag(), "he");
        assert_eq!(find("no").unwrap().tag(), "nb");
        assert_eq!(find("ar-EG").unwrap().tag(), "ar");
        assert_eq!(
            find("FR").unwrap().text(Text::Caption),
            "Scannez avec l’app Electroneum pour payer"
        );
        for rtl in ["ur", "ar", "he", "fa"] {
            assert!(find(rtl).unwrap().rtl(), "{rtl}");
        }
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
    fn every_language_writes_prices_its_own_way() {
        let formats: Vec<&str> = crate::localized::locales().collect();
        let tags: Vec<&str> = Lang::all().map(Lang::tag).collect();
        let mut a = formats.clone();
        let mut b = tags.clone();
        a.sort_unstable();
        b.sort_unstable();
        assert_eq!(a, b, "words and localized must cover the same languages");
    }

    #[test]
    fn every_language_is_named_in_itself_once() {
        let mut names = std::collections::BTreeSet::new();
        for lang in Lang::all() {
            let name = native_name(lang);
            assert!(
                NATIVE_NAMES.iter().any(|(t, _)| *t == lang.tag()),
                "{}",
                lang.tag()
            );
            assert!(names.insert(name), "{name} twice");
        }
        assert_eq!(NATIVE_NAMES.len(), Lang::all().count());
        assert_eq!(native_name(find("ja").unwrap()), "日本語");
    }

    #[test]
    fn accept_language_is_read_by_weight_then_order() {
        let tags = |h: &str| accepted(h).iter().map(|l| l.tag()).collect::<Vec<_>>();
        assert_eq!(tags("de-DE,de;q=0.9,en;q=0.8"), ["de", "en"]);
        assert_eq!(tags("en;q=0.1, ur"), ["ur", "en"]);
        assert_eq!(tags("xx, *;q=0.5, fr;q=0"), Vec::<&str>::new());
        assert_eq!(tags("zh-TW,zh;q=0.9"), ["zh-Hant", "zh"]);
        assert_eq!(tags(""), Vec::<&str>::new());
        assert_eq!(tags("ja;q=abc, ko"), ["ko"]);
    }

    #[test]
    fn every_language_has_every_sentence_by_name() {
        let count = RTL.len();
        assert!(count > 40, "{count}");
        assert_eq!(TABLE.bytes().filter(|&b| b == RS).count(), count);
        assert_eq!(PAGE.bytes().filter(|&b| b == RS).count(), count);
        assert_eq!(CODES.bytes().filter(|&b| b == RS).count(), count);
        let mut tags = std::collections::BTreeSet::new();
        for lang in Lang::all() {
            assert!(tags.insert(lang.tag()), "{} twice", lang.tag());
            assert_eq!(find(lang.tag()), Some(lang), "{}", lang.tag());
            // A tag and every sentence: no sentence holds a separator.
            assert_eq!(
                nth(TABLE, RS, lang.0).split('\u{1f}').count(),
                1 + ALL.len()
            );
            assert_eq!(
                nth(PAGE, RS, lang.0).split('\u{1f}').count(),
                ALL_PAGE.len()
            );
            for text in ALL {
                let sentence = lang.text(text);
                assert!(!sentence.trim().is_empty(), "{} {text:?}", lang.tag());
                assert_eq!(
                    slots(sentence),
                    slots(ENGLISH.text(text)),
                    "{} {text:?}: the slots differ from English's",
                    lang.tag()
                );
            }
            for text in ALL_PAGE {
                let sentence = lang.page(text);
                assert!(!sentence.trim().is_empty(), "{} {text:?}", lang.tag());
                assert_eq!(
                    slots(sentence),
                    slots(ENGLISH.page(text)),
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
        assert_eq!(slots(ENGLISH.page(PageText::Title)), ["amount", "merchant"]);
        assert_eq!(slots(ENGLISH.page(PageText::OrderRef)), ["reference"]);
        let en = ENGLISH;
        assert_eq!(en.text(Text::Pay), "Pay with Electroneum");
        assert_eq!(en.page(PageText::TestMode), "Test mode");
        assert_eq!(en.page(PageText::Language), "Language");
        assert_eq!(
            en.page(PageText::CancelReturn),
            "Cancel and return to {merchant}"
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
    fn slots_are_filled_by_name_and_unknown_ones_kept() {
        assert_eq!(
            fill(
                "Pay {amount} to {merchant}",
                &[("merchant", "Shop"), ("amount", "£1.00")]
            ),
            "Pay £1.00 to Shop"
        );
        assert_eq!(fill("{x} and {", &[]), "{x} and {");
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
}
