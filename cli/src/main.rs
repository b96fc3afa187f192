//! `checkout`: the native face of Edge Checkout's core, for merchants and deployers.
//!
//! Every command is a thin shell over `checkout_core`; the formulas live there.

mod listen;

use std::io::Read;
use std::process::ExitCode;

use checkout_core::qr::Qr;
use checkout_core::signature::{self, standard, Scheme, SignatureError, Tolerance};
use checkout_core::time::UnixSeconds;
use checkout_core::{Currency, Money, PaymentId, PaymentString, Rates, VendorAddress};
use clap::{Args, Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "checkout",
    version,
    about = "Sign and verify payment webhooks, make ETN payment strings and QR codes"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the signature of a message (the body is read from stdin, byte for byte).
    ///
    /// etn, gateway, forwarding: --secret and the body.
    /// order: --secret (the app key), --order-id, --amount.
    /// link: --secret (the API secret), --api-key, --order-id, --amount.
    /// standard: --secret (whsec_...), --id, --timestamp and the body; prints the three headers.
    Sign(SignArgs),
    /// Check a signature: prints `valid` and exits 0, or prints the reason and exits 1.
    Verify(VerifyArgs),
    /// Print an ETN payment string for a price, converted with a rates file.
    PaymentString(PaymentStringArgs),
    /// Print a QR code as SVG or terminal text.
    Qr(QrArgs),
    /// Pay a test session through the worker's sandbox: sends a correctly signed
    /// gateway webhook for what it still asks (or, with an option, payments that
    /// don't fit, or a deliberately wrong webhook).
    Trigger(TriggerArgs),
    /// Receive webhooks locally: print each one, check every signature it carries
    /// with --secret, answer 200 (or --status), and when a signature fails, show
    /// what was signed and whether the JSON was re-serialised on its way.
    Listen(listen::ListenArgs),
    /// Print a one-time link that signs into the merchant dashboard (valid ten
    /// minutes, works once). With a merchant key: that merchant, in the key's
    /// mode. With the admin key: the merchant of --merchant-id.
    DashboardLink(DashboardLinkArgs),
}

#[derive(Args)]
struct DashboardLinkArgs {
    /// A merchant key (sk_test_... or sk_live_...) or the admin key.
    #[arg(long, env = "CHECKOUT_API_KEY", hide_env_values = true)]
    key: String,
    /// The merchant to sign into (admin key only).
    #[arg(long)]
    merchant_id: Option<String>,
    /// test or live (admin key only; a merchant key signs into its own mode).
    #[arg(long)]
    mode: Option<String>,
    /// The worker's base URL.
    #[arg(long, default_value = "http://127.0.0.1:8787")]
    url: String,
}

#[derive(Args)]
#[command(group(clap::ArgGroup::new("scenario").multiple(false)))]
struct TriggerArgs {
    /// The test session to pay (cs_...).
    session: String,
    /// The worker's base URL.
    #[arg(long, default_value = "http://127.0.0.1:8787")]
    url: String,
    /// Send the same webhook twice (a provider's retry: recorded once).
    #[arg(long, group = "scenario")]
    resend: bool,
    /// Pay, then pay again under a new reference (a doubled payment: recorded as
    /// payment.duplicate, never paid or credited twice).
    #[arg(long, group = "scenario")]
    duplicate: bool,
    /// Pay PCT percent less than what is due (0.01 to 99.99).
    #[arg(long, group = "scenario", value_name = "PCT")]
    underpaid: Option<String>,
    /// Pay PCT percent more than what is due (0.01 to 1000).
    #[arg(long, group = "scenario", value_name = "PCT")]
    overpaid: Option<String>,
    /// Pay what is due in N payments (2 to 10).
    #[arg(long, group = "scenario", value_name = "N")]
    split: Option<u32>,
    /// Expire the session now, then pay it (a late payment: paid within the
    /// payment policy's late window, else it needs review).
    #[arg(long, group = "scenario")]
    late: bool,
    /// Only expire the session now (then pay it late through another path).
    #[arg(long, group = "scenario")]
    expire: bool,
    /// Send one minor unit more than the price.
    #[arg(long, group = "scenario")]
    wrong_amount: bool,
    /// Sign with the wrong secret.
    #[arg(long, group = "scenario")]
    bad_signature: bool,
    /// Send a timestamp ten minutes old.
    #[arg(long, group = "scenario")]
    stale: bool,
    /// Send a refund instead of a payment.
    #[arg(long, group = "scenario")]
    refund: bool,
    /// Send a failed payment.
    #[arg(long, group = "scenario")]
    failed: bool,
}

#[derive(Args)]
struct MessageArgs {
    /// Signature scheme: etn, gateway, order, link, forwarding or standard.
    #[arg(long, value_parser = parse_scheme)]
    scheme: Scheme,
    /// The signing key: API secret, webhook secret, app key or whsec_ secret.
    #[arg(long)]
    secret: Option<String>,
    /// The API key (link scheme).
    #[arg(long)]
    api_key: Option<String>,
    /// The order id (order and link schemes).
    #[arg(long)]
    order_id: Option<String>,
    /// The amount exactly as the payload writes it (order and link schemes), e.g. 150.00.
    #[arg(long)]
    amount: Option<String>,
    /// The message id (standard scheme).
    #[arg(long)]
    id: Option<String>,
    /// The message timestamp in unix seconds (standard scheme).
    #[arg(long, allow_hyphen_values = true)]
    timestamp: Option<i64>,
}

#[derive(Args)]
struct SignArgs {
    #[command(flatten)]
    message: MessageArgs,
}

#[derive(Args)]
struct VerifyArgs {
    #[command(flatten)]
    message: MessageArgs,
    /// The signature to check (for standard: the webhook-signature header value).
    #[arg(long, allow_hyphen_values = true)]
    signature: String,
    /// "Now" in unix seconds for timestamp checks (standard scheme); defaults to the clock.
    #[arg(long, allow_hyphen_values = true)]
    now: Option<i64>,
    /// etn only: re-encode a pretty-printed JSON body compactly, as PHP's json_encode
    /// would, before verifying (for the ETN dashboard's test webhooks).
    #[arg(long)]
    reencode: bool,
}

#[derive(Args)]
struct PaymentStringArgs {
    /// The 13-character ETN outlet id.
    #[arg(long)]
    outlet: String,
    /// The price, e.g. 9.95.
    #[arg(long)]
    amount: String,
    /// The price's ISO 4217 currency, e.g. GBP.
    #[arg(long)]
    currency: String,
    /// A copy of the ETN rates JSON (app-value-v2.json).
    #[arg(long)]
    rates: std::path::PathBuf,
    /// Use this payment id instead of a fresh random one (10 lowercase hex).
    #[arg(long)]
    payment_id: Option<String>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum QrFormat {
    Svg,
    Text,
}

#[derive(Args)]
struct QrArgs {
    /// The text to encode.
    #[arg(required_unless_present = "etn", conflicts_with = "etn")]
    text: Option<String>,
    /// Encode the ETN deep link of this payment string (refused if it is invalid).
    #[arg(long)]
    etn: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "svg")]
    format: QrFormat,
}

/// How a command failed: usage errors exit 2, a rejected check or input exits 1.
/// Both messages go to stderr, so stdout only ever carries a result.
enum Failure {
    Usage(String),
    Rejected(String),
}

fn usage(message: impl Into<String>) -> Failure {
    Failure::Usage(message.into())
}

fn parse_scheme(text: &str) -> Result<Scheme, String> {
    text.parse()
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) if !err.use_stderr() => {
            // --help and --version go to stdout and succeed.
            let _ = err.print();
            return ExitCode::SUCCESS;
        }
        Err(err) => {
            let text = err.to_string();
            let first = text
                .lines()
                .next()
                .unwrap_or("invalid usage")
                .trim_start_matches("error: ");
            eprintln!("checkout: {first} (see 'checkout --help')");
            return ExitCode::from(2);
        }
    };
    let result = match cli.command {
        Command::Sign(args) => sign(&args.message),
        Command::Verify(args) => verify(&args),
        Command::PaymentString(args) => payment_string(&args),
        Command::Qr(args) => qr(&args),
        Command::Trigger(args) => trigger(&args),
        Command::DashboardLink(args) => dashboard_link(&args),
        Command::Listen(args) => match listen::run(&args) {
            Ok(true) => Ok(String::new()),
            Ok(false) => Err(Failure::Rejected("a signature did not verify".into())),
            Err(e) => Err(usage(e)),
        },
    };
    match result {
        Ok(output) => {
            print!("{output}");
            ExitCode::SUCCESS
        }
        Err(Failure::Usage(message)) => {
            eprintln!("checkout: {message}");
            ExitCode::from(2)
        }
        Err(Failure::Rejected(message)) => {
            eprintln!("{message}");
            ExitCode::from(1)
        }
    }
}

fn required<'a>(value: &'a Option<String>, flag: &str, scheme: Scheme) -> Result<&'a str, Failure> {
    value
        .as_deref()
        .ok_or_else(|| usage(format!("--{flag} is required for the {scheme} scheme")))
}

fn read_body() -> Result<Vec<u8>, Failure> {
    let mut body = Vec::new();
    std::io::stdin()
        .read_to_end(&mut body)
        .map_err(|e| usage(format!("cannot read stdin: {e}")))?;
    Ok(body)
}

/// Refuses flags that the scheme does not use, so that a typo cannot silently
/// produce a signature of something else.
fn check_unused(m: &MessageArgs) -> Result<(), Failure> {
    let used: &[&str] = match m.scheme {
        Scheme::Etn | Scheme::Gateway | Scheme::Forwarding => &["secret"],
        Scheme::Order => &["secret", "order-id", "amount"],
        Scheme::Link => &["secret", "api-key", "order-id", "amount"],
        Scheme::Standard => &["secret", "id", "timestamp"],
    };
    let given = [
        ("api-key", m.api_key.is_some()),
        ("order-id", m.order_id.is_some()),
        ("amount", m.amount.is_some()),
        ("id", m.id.is_some()),
        ("timestamp", m.timestamp.is_some()),
    ];
    for (flag, present) in given {
        if present && !used.contains(&flag) {
            return Err(usage(format!(
                "--{flag} is not used by the {} scheme",
                m.scheme
            )));
        }
    }
    Ok(())
}

/// The secret, message id and timestamp a Standard Webhooks signature covers.
fn standard_parts(m: &MessageArgs) -> Result<(standard::Secret, &str, UnixSeconds), Failure> {
    let text = required(&m.secret, "secret", m.scheme)?;
    let key = standard::Secret::parse(text).map_err(|e| usage(e.to_string()))?;
    let id = required(&m.id, "id", m.scheme)?;
    let ts = m
        .timestamp
        .ok_or_else(|| usage("--timestamp is required for the standard scheme"))?;
    Ok((key, id, UnixSeconds(ts)))
}

fn sign(m: &MessageArgs) -> Result<String, Failure> {
    check_unused(m)?;
    let secret = required(&m.secret, "secret", m.scheme)?;
    let line = match m.scheme {
        Scheme::Etn => signature::etn::sign(secret, &read_body()?),
        Scheme::Gateway => signature::gateway::sign(secret, &read_body()?),
        Scheme::Forwarding => signature::forwarding::sign(secret, &read_body()?),
        Scheme::Order => signature::order::sign(
            secret,
            required(&m.order_id, "order-id", m.scheme)?,
            required(&m.amount, "amount", m.scheme)?,
        ),
        Scheme::Link => signature::link::sign(
            secret,
            required(&m.api_key, "api-key", m.scheme)?,
            required(&m.order_id, "order-id", m.scheme)?,
            required(&m.amount, "amount", m.scheme)?,
        ),
        Scheme::Standard => {
            let (key, id, ts) = standard_parts(m)?;
            let headers = standard::headers(&key, id, ts, &read_body()?);
            return Ok(headers
                .iter()
                .map(|(name, value)| format!("{name}: {value}\n"))
                .collect());
        }
    };
    Ok(format!("{line}\n"))
}

fn verify(args: &VerifyArgs) -> Result<String, Failure> {
    let m = &args.message;
    check_unused(m)?;
    if args.reencode && m.scheme != Scheme::Etn {
        return Err(usage("--reencode only applies to the etn scheme"));
    }
    if args.now.is_some() && m.scheme != Scheme::Standard {
        return Err(usage("--now only applies to the standard scheme"));
    }
    let secret = required(&m.secret, "secret", m.scheme)?;
    let sig = args.signature.as_str();
    let outcome: Result<(), SignatureError> = match m.scheme {
        Scheme::Etn => {
            let mut body = read_body()?;
            if args.reencode {
                let text =
                    String::from_utf8(body).map_err(|_| usage("the body is not UTF-8 JSON"))?;
                body = signature::etn::reencode_like_php(&text)
                    .map_err(|e| usage(format!("the body is not JSON: {e}")))?
                    .into_bytes();
            }
            signature::etn::verify(secret, &body, sig)
        }
        Scheme::Gateway => signature::gateway::verify(secret, &read_body()?, sig),
        Scheme::Forwarding => signature::forwarding::verify(secret, &read_body()?, sig),
        Scheme::Order => signature::order::verify(
            secret,
            required(&m.order_id, "order-id", m.scheme)?,
            required(&m.amount, "amount", m.scheme)?,
            sig,
        ),
        Scheme::Link => signature::link::verify(
            secret,
            required(&m.api_key, "api-key", m.scheme)?,
            required(&m.order_id, "order-id", m.scheme)?,
            required(&m.amount, "amount", m.scheme)?,
            sig,
        ),
        Scheme::Standard => {
            let (key, id, ts) = standard_parts(m)?;
            let now = args.now.map_or_else(unix_now, UnixSeconds);
            standard::verify(
                &key,
                id,
                &ts.0.to_string(),
                sig,
                &read_body()?,
                now,
                Tolerance::DEFAULT,
            )
        }
    };
    match outcome {
        Ok(()) => Ok("valid\n".to_owned()),
        Err(e) => Err(Failure::Rejected(format!("invalid: {e}"))),
    }
}

/// The machine's clock (1970 if it is set before then).
fn unix_now() -> UnixSeconds {
    UnixSeconds(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64),
    )
}

fn payment_string(args: &PaymentStringArgs) -> Result<String, Failure> {
    let vendor: VendorAddress = format!("etn-it-{}", args.outlet)
        .parse()
        .map_err(|e| usage(format!("--outlet: {e}")))?;
    let currency =
        Currency::from_code(&args.currency).map_err(|e| usage(format!("--currency: {e}")))?;
    let price =
        Money::parse(&args.amount, currency).map_err(|e| usage(format!("--amount: {e}")))?;
    let json = std::fs::read_to_string(&args.rates).map_err(|e| {
        usage(format!(
            "--rates: cannot read {}: {e}",
            args.rates.display()
        ))
    })?;
    let rates = Rates::parse(&json).map_err(|e| usage(format!("--rates: {e}")))?;
    let etn = rates
        .to_etn(&price)
        .map_err(|e| Failure::Rejected(format!("error: {e}")))?;
    let payment_id = match &args.payment_id {
        Some(text) => text
            .parse::<PaymentId>()
            .map_err(|e| usage(format!("--payment-id: {e}")))?,
        None => {
            let mut bytes = [0u8; 5];
            getrandom::fill(&mut bytes)
                .map_err(|e| usage(format!("no random bytes available: {e}")))?;
            PaymentId::from_bytes(bytes)
        }
    };
    Ok(format!("{}\n", PaymentString::new(vendor, payment_id, etn)))
}

fn qr(args: &QrArgs) -> Result<String, Failure> {
    let text = match (&args.text, &args.etn) {
        (_, Some(etn)) => etn
            .parse::<PaymentString>()
            .map_err(|e| Failure::Rejected(format!("invalid payment string: {e}")))?
            .deep_link(),
        (Some(text), None) => text.clone(),
        (None, None) => return Err(usage("give a TEXT or --etn PAYMENT_STRING")),
    };
    let code = Qr::encode(&text).map_err(|e| Failure::Rejected(e.to_string()))?;
    Ok(match args.format {
        QrFormat::Svg => format!("{}\n", code.to_svg()),
        QrFormat::Text => code.to_text(),
    })
}

fn trigger(args: &TriggerArgs) -> Result<String, Failure> {
    let scenario = [
        (args.resend, "resend"),
        (args.duplicate, "duplicate"),
        (args.underpaid.is_some(), "underpaid"),
        (args.overpaid.is_some(), "overpaid"),
        (args.split.is_some(), "split"),
        (args.late, "late"),
        (args.expire, "expire"),
        (args.wrong_amount, "wrong_amount"),
        (args.bad_signature, "bad_signature"),
        (args.stale, "stale"),
        (args.refund, "refund"),
        (args.failed, "failed"),
    ]
    .into_iter()
    .find_map(|(on, name)| on.then_some(name))
    .unwrap_or("payment");
    // The worker checks the values (and names the one at fault); they travel
    // percent-encoded.
    let mut extra = String::new();
    if let Some(pct) = args.underpaid.as_ref().or(args.overpaid.as_ref()) {
        extra.push_str(&format!("&percent={}", encode_query(pct)));
    }
    if let Some(n) = args.split {
        extra.push_str(&format!("&parts={n}"));
    }
    if !args.session.starts_with("cs_")
        || !args
            .session
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_')
    {
        return Err(usage("SESSION must be a session id like cs_..."));
    }
    let url = format!(
        "{}/v1/sessions/{}/sandbox?scenario={scenario}{extra}",
        args.url.trim_end_matches('/'),
        args.session
    );
    let agent = worker_agent();
    let mut response = agent
        .post(&url)
        .header("Content-Type", "application/json")
        .send("{}")
        .map_err(|e| Failure::Rejected(format!("cannot reach the worker at {}: {e}", args.url)))?;
    let status = response.status().as_u16();
    let body = response.body_mut().read_to_string().unwrap_or_default();
    if (200..300).contains(&status) {
        Ok(format!("{body}\n"))
    } else {
        Err(Failure::Rejected(format!(
            "the worker answered {status}: {body}"
        )))
    }
}

/// `text` for a query string: unreserved characters as they are, every other
/// byte percent-encoded.
fn encode_query(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// An HTTP client for the worker that reports 4xx/5xx as answers, not errors.
fn worker_agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

/// Asks the worker for a dashboard sign-in link.
fn dashboard_link(args: &DashboardLinkArgs) -> Result<String, Failure> {
    use checkout_api::dashboard::{CreateSignInLink, SignInLink};
    use checkout_api::error::ErrorBody;
    let request = CreateSignInLink {
        merchant_id: args.merchant_id.clone(),
        mode: args.mode.clone(),
        expires_in: None,
    };
    let body = serde_json::to_string(&request).map_err(|e| usage(e.to_string()))?;
    let url = format!("{}/v1/dashboard/links", args.url.trim_end_matches('/'));
    let agent = worker_agent();
    let mut response = agent
        .post(&url)
        .header("Content-Type", "application/json")
        .header("Authorization", &format!("Bearer {}", args.key.trim()))
        .send(&body)
        .map_err(|e| Failure::Rejected(format!("cannot reach the worker at {}: {e}", args.url)))?;
    let status = response.status().as_u16();
    let text = response.body_mut().read_to_string().unwrap_or_default();
    if status == 201 {
        let link: SignInLink = serde_json::from_str(&text)
            .map_err(|e| Failure::Rejected(format!("unexpected answer ({e}): {text}")))?;
        return Ok(format!(
            "{}
",
            link.url
        ));
    }
    match serde_json::from_str::<ErrorBody>(&text) {
        Ok(e) => Err(Failure::Rejected(format!(
            "the worker answered {status}: {}{}",
            e.error.message,
            e.error
                .field
                .map(|f| format!(" (field {f})"))
                .unwrap_or_default()
        ))),
        Err(_) => Err(Failure::Rejected(format!(
            "the worker answered {status}: {text}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::encode_query;

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(encode_query("12.5"), "12.5");
        assert_eq!(encode_query("1 0&x=y"), "1%200%26x%3Dy");
    }
}
