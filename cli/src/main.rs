//! `kmskit`: AWS KMS semantics on the command line.
//!
//! Exit status: 0 success (for `verify`: the signature is valid), 1 the signature does not
//! verify, 2 an error (printed as `error: <KMS exception name>: <message>`).

mod demo;
mod envelope;
mod io;
mod kms;
mod policy;

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
    /// Encrypt to a KMS public key exactly as KMS Encrypt would (RSAES_OAEP_SHA_1/256, SM2PKE);
    /// or, with a keyring, encrypt a file of any size into an AWS Encryption SDK message.
    #[command(after_help = "Examples:
  kmskit encrypt --public-key key.der --algorithm RSAES_OAEP_SHA_256 secret.txt > ciphertext.bin
  echo -n hello | kmskit encrypt --public-key sm2.pem --algorithm SM2PKE --base64 -
  kmskit encrypt --aes-key k.bin --key-namespace ns --key-name k1 --encryption-context app=x big.tar -o big.tar.enc
  kmskit encrypt --kms-state kms.json --key-id alias/app --encryption-context app=x data.csv > data.csv.enc

With --public-key the output is what KMS Decrypt accepts (RSA: modulus-length bytes; SM2PKE: DER
C1C3C2). With a keyring (--aes-key, --rsa-key or --kms-state) the output is an Encryption SDK
message (suite 0x0478 unless --suite 0x0578), which the official SDKs decrypt with the same raw
keyring (namespace, name and key); memory stays bounded by the frame length.")]
    Encrypt {
        /// Public key file: DER SubjectPublicKeyInfo or PEM (what GetPublicKey returns).
        #[arg(long, value_name = "FILE", conflicts_with = "keyring")]
        public_key: Option<String>,
        /// With --public-key: RSAES_OAEP_SHA_1, RSAES_OAEP_SHA_256 or SM2PKE.
        #[arg(long, value_name = "ALGORITHM", requires = "public_key")]
        algorithm: Option<String>,
        #[command(flatten)]
        keyring: envelope::KeyringArgs,
        /// With a keyring: an encryption context pair, KEY=VALUE (repeat for several).
        #[arg(long, value_name = "KEY=VALUE", requires = "keyring")]
        encryption_context: Vec<String>,
        /// With a keyring: the algorithm suite, 0x0478 (default) or 0x0578 (signed).
        #[arg(long, value_name = "SUITE", requires = "keyring")]
        suite: Option<String>,
        /// With a keyring: plaintext bytes per frame.
        #[arg(long, default_value_t = kmskit::envelope::DEFAULT_FRAME_LENGTH, value_name = "BYTES")]
        frame_length: u32,
        #[command(flatten)]
        output: Output,
        /// The plaintext file; `-` reads standard input.
        #[arg(value_name = "FILE")]
        plaintext: String,
    },
    /// Decrypt an AWS Encryption SDK message (from kmskit or the official SDKs) with a keyring.
    #[command(after_help = "Examples:
  kmskit decrypt --aes-key k.bin --key-namespace ns --key-name k1 --encryption-context app=x big.tar.enc -o big.tar
  kmskit decrypt --rsa-key private.pem --key-name rsa-1 message.bin > plain.txt

Into a file (-o), the plaintext appears only once the whole message verified. To standard
output, each frame is written once its tag verifies; a signed message's signature (suite 0x0578)
is checked at the end: use --release AFTER_VERIFICATION to write nothing before it.
Exit status 2 and `error: InvalidCiphertextException: ...` for any modified, truncated or
mismatched message.")]
    Decrypt {
        #[command(flatten)]
        keyring: envelope::KeyringArgs,
        /// An encryption context pair the message must have, KEY=VALUE (repeat for several).
        #[arg(long, value_name = "KEY=VALUE")]
        encryption_context: Vec<String>,
        /// When plaintext is written: PER_FRAME (default) or AFTER_VERIFICATION.
        #[arg(long, default_value = "PER_FRAME", value_name = "WHEN")]
        release: String,
        /// Write to this file instead of standard output.
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<String>,
        /// The message file; `-` reads standard input.
        #[arg(value_name = "FILE")]
        message: String,
    },
    /// Derive the ECDH shared secret KMS DeriveSharedSecret returns for the matching key.
    #[command(after_help = "Examples:
  kmskit derive --private-key mine.pem --public-key kms-public.der --hex

The private key is PKCS#8 DER or PEM (e.g. a GenerateDataKeyPair private key); the public key
is the KMS key's (GetPublicKey), on the same curve (ECC_NIST_P256/P384/P521 or SM2).")]
    Derive {
        /// Your private key: PKCS#8 DER or PEM.
        #[arg(long, value_name = "FILE")]
        private_key: String,
        /// The other party's public key: DER SubjectPublicKeyInfo or PEM.
        #[arg(long, value_name = "FILE")]
        public_key: String,
        /// Key agreement algorithm.
        #[arg(long, default_value = "ECDH", value_name = "ALGORITHM")]
        algorithm: String,
        #[command(flatten)]
        output: Output,
    },
    /// Run one operation of a local AWS KMS (its JSON protocol), optionally keeping its state
    /// in a file.
    #[command(after_help = kms::help())]
    Kms {
        /// The KMS operation: CreateKey, Encrypt, ... (or create-key / create_key).
        #[arg(value_name = "OPERATION")]
        operation: String,
        /// The request body (KMS JSON: blobs base64); `-` reads standard input, `file://PATH`
        /// a file.
        #[arg(long, default_value = "{}", value_name = "JSON")]
        json: String,
        /// Load the KMS state from this snapshot file (when it exists) and save it back.
        #[arg(long, value_name = "FILE")]
        state: Option<String>,
        /// The Region of the call (default us-east-1, or the state's default Region).
        #[arg(long, value_name = "REGION")]
        region: Option<String>,
        /// The 12-digit account of a new state (default 111122223333).
        #[arg(long, value_name = "ID")]
        account_id: Option<String>,
        /// Deterministic mode: key IDs, key material and IVs come from this seed (its UTF-8
        /// bytes), and the clock starts at 2026-01-01T00:00:00Z.
        #[arg(long, value_name = "SEED")]
        seed: Option<String>,
        /// Fix the clock at this time, in epoch seconds (as the KMS JSON protocol writes it).
        #[arg(long, value_name = "SECONDS")]
        time: Option<f64>,
        /// Call as this principal (IAM user, role, assumed-role session or account ARN)
        /// instead of the account root; the call is authorized by the key policy, the
        /// principal's IAM policies (`kmskit principal`) and the key's grants.
        #[arg(long, value_name = "ARN")]
        principal: Option<String>,
        /// The caller's request context, a JSON object of condition keys
        /// ({"aws:SourceIp": "192.0.2.1", ...}); needs --principal.
        #[arg(long, value_name = "JSON", requires = "principal")]
        context: Option<String>,
    },
    /// Keep IAM identity policies and tags of principals in a local KMS state file.
    #[command(after_help = kms::PRINCIPAL_HELP)]
    Principal {
        #[command(subcommand)]
        command: PrincipalCommand,
    },
    /// Evaluate or validate key policies, IAM policies and grants, as KMS authorizes.
    Policy {
        #[command(subcommand)]
        command: PolicyCommand,
    },
    /// Describe a public key: key spec, usable algorithms, PEM, JWK and SEC1 point, as JSON.
    #[command(after_help = "Examples:
  kmskit pubkey key.der
  aws kms get-public-key --key-id alias/k --query PublicKey --output text | base64 -d | kmskit pubkey -")]
    Pubkey {
        /// Public key file: DER SubjectPublicKeyInfo or PEM; `-` reads standard input.
        #[arg(value_name = "FILE")]
        public_key: String,
    },
}

#[derive(Subcommand)]
enum PrincipalCommand {
    /// Attach (or replace) an IAM identity policy of a user or role.
    PutPolicy {
        /// The KMS state file (a snapshot, as `kmskit kms --state` keeps it).
        #[arg(long, value_name = "FILE")]
        state: String,
        /// The IAM user or role ARN (a role's sessions get its policies).
        #[arg(long, value_name = "ARN")]
        principal: String,
        /// The policy name.
        #[arg(long, value_name = "NAME")]
        name: String,
        /// The policy document: JSON text, `-` for standard input, `file://PATH` for a file.
        #[arg(long, value_name = "JSON")]
        document: String,
    },
    /// Detach an IAM identity policy.
    DeletePolicy {
        /// The KMS state file.
        #[arg(long, value_name = "FILE")]
        state: String,
        /// The IAM user or role ARN.
        #[arg(long, value_name = "ARN")]
        principal: String,
        /// The policy name.
        #[arg(long, value_name = "NAME")]
        name: String,
    },
    /// Print a principal's IAM identity policies as JSON (name -> document).
    GetPolicies {
        /// The KMS state file.
        #[arg(long, value_name = "FILE")]
        state: String,
        /// The IAM user or role ARN.
        #[arg(long, value_name = "ARN")]
        principal: String,
    },
    /// Set a principal's tags (`aws:PrincipalTag/<key>`), a JSON object.
    SetTags {
        /// The KMS state file.
        #[arg(long, value_name = "FILE")]
        state: String,
        /// The IAM user or role ARN.
        #[arg(long, value_name = "ARN")]
        principal: String,
        /// The tags: {"team": "blue", ...}.
        #[arg(long, value_name = "JSON")]
        tags: String,
    },
}

#[derive(Subcommand)]
enum PolicyCommand {
    /// Decide a request against a key policy, IAM policies and grants, and say why.
    #[command(after_help = policy::EXPLAIN_HELP)]
    Explain {
        /// The key policy (JSON file); omit for actions governed by IAM alone.
        #[arg(long, value_name = "FILE")]
        policy: Option<String>,
        /// An IAM policy of the caller, as NAME=FILE; repeat for several (consulted in order).
        #[arg(long, value_name = "NAME=FILE")]
        iam: Vec<String>,
        /// The key's grants, as a JSON list (what ListGrants returns under "Grants").
        #[arg(long, value_name = "FILE")]
        grants: Option<String>,
        /// The request: {"Action", "Principal", "Resource", "Context"}; `-` reads standard input.
        #[arg(long, value_name = "FILE")]
        request: String,
        /// Print the whole evaluation as JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Check a policy document as CreateKey/PutKeyPolicy would, and list warnings as JSON.
    Validate {
        /// The policy document (JSON file); `-` reads standard input.
        #[arg(value_name = "FILE")]
        policy: String,
        /// Validate as an IAM identity policy instead of a key policy.
        #[arg(long)]
        identity: bool,
    },
}

/// Where and how binary output goes.
#[derive(clap::Args)]
struct Output {
    /// Write to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<String>,
    /// Write base64 text (as the AWS CLI shows blobs) instead of raw bytes.
    #[arg(long, conflicts_with = "hex")]
    base64: bool,
    /// Write lowercase hex text instead of raw bytes.
    #[arg(long)]
    hex: bool,
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
        Command::Encrypt {
            public_key,
            algorithm,
            keyring,
            encryption_context,
            suite,
            frame_length,
            output,
            plaintext,
        } => {
            let Some(public_key) = public_key else {
                if output.base64 || output.hex {
                    return Err(kmskit::Error::validation(
                        "--base64 and --hex go with --public-key; a message is binary",
                    ));
                }
                envelope::encrypt(&envelope::EncryptArgs {
                    keyring: &keyring,
                    context: &encryption_context,
                    suite: suite.as_deref(),
                    frame_length,
                    input: &plaintext,
                    output: output.output.as_deref(),
                })?;
                return Ok(ExitCode::SUCCESS);
            };
            let algorithm = algorithm.ok_or_else(|| {
                kmskit::Error::validation(
                    "--public-key needs --algorithm (RSAES_OAEP_SHA_256, ...)",
                )
            })?;
            let ct = kmskit::offline::encrypt(
                &io::read(&public_key)?,
                &io::read(&plaintext)?,
                kmskit::EncryptionAlgorithm::parse(&algorithm)?,
            )?;
            io::write(
                &ct,
                output.output.as_deref(),
                io::Format::of(output.base64, output.hex),
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Decrypt {
            keyring,
            encryption_context,
            release,
            output,
            message,
        } => {
            envelope::decrypt(
                &keyring,
                &encryption_context,
                &release,
                &message,
                output.as_deref(),
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Derive {
            private_key,
            public_key,
            algorithm,
            output,
        } => {
            let secret = kmskit::offline::derive_shared_secret(
                &io::read(&private_key)?,
                &io::read(&public_key)?,
                kmskit::KeyAgreementAlgorithm::parse(&algorithm)?,
            )?;
            io::write(
                secret.expose(),
                output.output.as_deref(),
                io::Format::of(output.base64, output.hex),
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Kms {
            operation,
            json,
            state,
            region,
            account_id,
            seed,
            time,
            principal,
            context,
        } => {
            let response = kms::run(kms::Request {
                operation,
                json,
                state,
                region,
                account_id,
                seed,
                time,
                principal,
                context,
            })?;
            println!("{response}");
            Ok(ExitCode::SUCCESS)
        }
        Command::Principal { command } => {
            let out = match command {
                PrincipalCommand::PutPolicy {
                    state,
                    principal,
                    name,
                    document,
                } => kms::principal(&state, |k| {
                    let document = kms::body(&document)?;
                    k.put_principal_policy(&principal, &name, &document)?;
                    Ok(None)
                }),
                PrincipalCommand::DeletePolicy {
                    state,
                    principal,
                    name,
                } => kms::principal(&state, |k| {
                    if k.delete_principal_policy(&principal, &name)? {
                        Ok(None)
                    } else {
                        Err(kmskit::Error::new(
                            kmskit::ErrorCode::NotFoundException,
                            format!("{principal} has no policy named {name}"),
                        ))
                    }
                }),
                PrincipalCommand::GetPolicies { state, principal } => kms::principal(&state, |k| {
                    let mut out = serde_json::Map::new();
                    for (name, document) in k.principal_policies(&principal)? {
                        let doc = serde_json::from_str(&document)
                            .unwrap_or(serde_json::Value::String(document));
                        out.insert(name, doc);
                    }
                    Ok(Some(serde_json::Value::Object(out)))
                }),
                PrincipalCommand::SetTags {
                    state,
                    principal,
                    tags,
                } => kms::principal(&state, |k| {
                    let tags = serde_json::from_str(&tags).map_err(|e| {
                        kmskit::Error::validation(format!(
                            "--tags must be a JSON object of strings: {e}"
                        ))
                    })?;
                    k.set_principal_tags(&principal, tags)?;
                    Ok(None)
                }),
            }?;
            if let Some(out) = out {
                println!("{out}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Policy {
            command:
                PolicyCommand::Explain {
                    policy,
                    iam,
                    grants,
                    request,
                    json,
                },
        } => policy::explain(policy.as_deref(), &iam, grants.as_deref(), &request, json),
        Command::Policy {
            command: PolicyCommand::Validate { policy, identity },
        } => policy::validate(&policy, identity),
        Command::Pubkey { public_key } => {
            let d = kmskit::offline::describe_public_key(&io::read(&public_key)?)?;
            println!("{}", describe_json(&d));
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn describe_json(d: &kmskit::offline::PublicKeyDescription) -> String {
    let jwk = d
        .jwk
        .as_deref()
        .and_then(|j| serde_json::from_str::<serde_json::Value>(j).ok())
        .unwrap_or(serde_json::Value::Null);
    let value = serde_json::json!({
        "KeySpec": d.key_spec.as_str(),
        "KeyUsages": d.key_usages,
        "EncryptionAlgorithms": d.encryption_algorithms,
        "SigningAlgorithms": d.signing_algorithms,
        "KeyAgreementAlgorithms": d.key_agreement_algorithms,
        "EncapsulationAlgorithms": d.key_encapsulation_algorithms,
        "Pem": d.pem,
        "Jwk": jwk,
        "Sec1Uncompressed": d.sec1_uncompressed.as_deref().map(hex::encode),
    });
    serde_json::to_string_pretty(&value).unwrap_or_default()
}
