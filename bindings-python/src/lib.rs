//! Python bindings of kmskit: type conversion and error mapping only.
//!
//! The native module is `kmskit._kmskit`; `python/kmskit/__init__.py` re-exports it with the
//! exception classes of `kmskit._errors`, one per KMS exception name.

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyModule;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Converts a kmskit error into the `kmskit` exception class named by its code.
fn map_error(py: Python<'_>, e: &kmskit::Error) -> PyErr {
    static ERRORS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();
    let class = ERRORS
        .get_or_try_init(py, || py.import("kmskit._errors").map(Bound::unbind))
        .and_then(|m| m.bind(py).getattr(e.code().as_str()));
    match class.and_then(|c| c.call1((e.message(),))) {
        Ok(instance) => PyErr::from_value(instance),
        Err(import_failure) => PyRuntimeError::new_err(format!("{e} ({import_failure})")),
    }
}

/// Runs `f`, turning a kmskit error into its exception and a panic into
/// `KMSInternalException`, so no panic unwinds into the interpreter.
fn guard<T>(py: Python<'_>, f: impl FnOnce() -> kmskit::Result<T>) -> PyResult<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(map_error(py, &e)),
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(map_error(
                py,
                &kmskit::Error::internal(format!("internal error: {what}")),
            ))
        }
    }
}

fn text_or_bytes(v: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Vec<u8>>> {
    match v {
        None => Ok(None),
        Some(v) if v.is_none() => Ok(None),
        Some(v) => match v.extract::<String>() {
            Ok(s) => Ok(Some(s.into_bytes())),
            Err(_) => v.extract::<Vec<u8>>().map(Some),
        },
    }
}

/// Verifies a signature exactly as AWS KMS Verify would. See `kmskit.verify`.
#[pyfunction]
#[pyo3(signature = (public_key, message, signature, signing_algorithm, message_type = "RAW", distinguishing_id = None))]
fn verify(
    py: Python<'_>,
    public_key: &[u8],
    message: &[u8],
    signature: &[u8],
    signing_algorithm: &str,
    message_type: &str,
    distinguishing_id: Option<&Bound<'_, PyAny>>,
) -> PyResult<bool> {
    let id = text_or_bytes(distinguishing_id)?;
    guard(py, || {
        kmskit::verify(
            public_key,
            message,
            signature,
            kmskit::SigningAlgorithm::parse(signing_algorithm)?,
            kmskit::MessageType::parse(message_type)?,
            id.as_deref(),
        )
    })
}

/// The names of the public functions every binding exposes (core's list).
#[pyfunction]
fn capabilities() -> Vec<&'static str> {
    kmskit::api::FUNCTIONS.to_vec()
}

/// Every error code (KMS exception name) kmskit raises.
#[pyfunction]
fn error_codes() -> Vec<&'static str> {
    kmskit::ErrorCode::ALL.iter().map(|c| c.as_str()).collect()
}

/// Test hook: panics inside the guard, to prove a panic becomes `KMSInternalException`.
#[pyfunction]
fn _panic_probe(py: Python<'_>) -> PyResult<()> {
    guard(py, || -> kmskit::Result<()> {
        #[expect(clippy::panic, reason = "the point of the probe")]
        {
            panic!("panic probe")
        }
    })
}

#[pymodule]
fn _kmskit(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(verify, m)?)?;
    m.add_function(wrap_pyfunction!(capabilities, m)?)?;
    m.add_function(wrap_pyfunction!(error_codes, m)?)?;
    m.add_function(wrap_pyfunction!(_panic_probe, m)?)?;
    Ok(())
}
