//! `kmskit`: AWS KMS semantics on the command line.
//!
//! Exit status: 0 success (for `verify`: the signature is valid), 1 the signature does not
//! verify, 2 an error (printed as `error: <KMS exception name>: <message>`).

mod demo;
mod io;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "kmskit", version, about = "AWS KMS semantics, offline", long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Walk through what kmskit does, on embedded KMS-style keys and signatures.
    Demo,
    /// Verify a signature exactly as AWS KMS Verify would.
    #[command(after_help = "Examples:
  kmskit verify --public-key key.der --signature sig.bin --algorithm ECDSA_SHA_256 message.txt
  sha256sum-binary message.txt | kmskit verify --public-key key.pem --signature sig.bin \\
      --algorithm ECDSA_SHA_256 --message-type DIGEST -

The public key is what GetPublicKey returns (DER SubjectPublicKeyInfo) or its PEM; the signature
is the raw Signature bytes of KMS Sign (DER for ECDSA/SM2). Exit status 0: valid, 1: invalid,
2: error.")]
    Verify {
        /// Public key file: DER SubjectPublicKeyInfo or PEM.
        #[arg(long, value_name = "FILE")]
        public_key: String,
        /// Signature file (binary, as KMS Sign returns it).
        #[arg(long, value_name = "FILE")]
        signature: String,
        /// KMS signing algorithm, e.g. ECDSA_SHA_256.
        #[arg(long, value_name = "ALGORITHM")]
        algorithm: String,
        /// RAW (default), DIGEST or EXTERNAL_MU.
        #[arg(long, default_value = "RAW", value_name = "TYPE")]
        message_type: String,
        /// SM2 distinguishing ID (SM2DSA with RAW only; default 1234567812345678).
        #[arg(long, value_name = "ID")]
        distinguishing_id: Option<String>,
        /// The message (or digest) file; `-` reads standard input.
        #[arg(value_name = "FILE")]
        message: String,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(command: Command) -> kmskit::Result<ExitCode> {
    match command {
        Command::Demo => {
            demo::run(&mut std::io::stdout().lock())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Verify {
            public_key,
            signature,
            algorithm,
            message_type,
            distinguishing_id,
            message,
        } => {
            let valid = kmskit::verify(
                &io::read(&public_key)?,
                &io::read(&message)?,
                &io::read(&signature)?,
                kmskit::SigningAlgorithm::parse(&algorithm)?,
                kmskit::MessageType::parse(&message_type)?,
                distinguishing_id.as_deref().map(str::as_bytes),
            )?;
            println!(
                "{}",
                if valid {
                    "Signature valid"
                } else {
                    "Signature invalid"
                }
            );
            Ok(if valid {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
    }
}
