//! One long-lived `node parse.js --ndjson` process: Microsoft's Kusto.Language parser.
//!
//! A writer thread feeds queries and a reader thread collects answer lines, so the harness can
//! put a time limit on every answer and report an oracle that dies or hangs mid-run.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// How long one answer may take; the slowest real query takes well under a second.
pub const ANSWER_TIMEOUT: Duration = Duration::from_secs(60);

/// Why the oracle cannot be used at all, which makes the harness skip.
#[derive(Debug)]
pub enum Unavailable {
    MissingScript(PathBuf),
    NoNode(String),
    MissingPackage(PathBuf),
}

impl std::fmt::Display for Unavailable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unavailable::MissingScript(path) => {
                write!(f, "oracle script {} not found", path.display())
            }
            Unavailable::NoNode(error) => write!(f, "`node` cannot be run: {error}"),
            Unavailable::MissingPackage(path) => write!(
                f,
                "oracle package not installed at {} (run tools/kql-oracle/install.sh)",
                path.display()
            ),
        }
    }
}

/// The oracle's first syntax diagnostic, in the oracle's own terms.
#[derive(Debug, Clone)]
pub struct OracleDiag {
    pub code: String,
    pub message: String,
    pub start_byte: u64,
    pub length_byte: u64,
}

/// The oracle's syntax verdict on one query.
#[derive(Debug, Clone)]
pub struct OracleVerdict {
    /// No syntax diagnostic at all.
    pub accepts: bool,
    pub n_diagnostics: usize,
    pub first: Option<OracleDiag>,
}

/// A running oracle process.
pub struct Oracle {
    child: Child,
    requests: Option<Sender<String>>,
    answers: Receiver<std::io::Result<String>>,
    stderr_tail: Arc<Mutex<String>>,
    n_answered: usize,
    timeout: Duration,
}

/// Checks that node, the script and the npm package are all there.
///
/// # Errors
///
/// Returns what is missing.
pub fn check_available(shared: &Path) -> Result<PathBuf, Unavailable> {
    let script = shared.join("tools/kql-oracle/parse.js");
    if !script.is_file() {
        return Err(Unavailable::MissingScript(script));
    }
    match Command::new("node").arg("--version").stdout(Stdio::null()).status() {
        Ok(status) if status.success() => {}
        Ok(status) => return Err(Unavailable::NoNode(format!("exited with {status}"))),
        Err(error) => return Err(Unavailable::NoNode(error.to_string())),
    }
    if std::env::var_os("KQL_ORACLE_LIB").is_some() {
        return Ok(script);
    }
    let home = match std::env::var_os("KQL_ORACLE_HOME") {
        Some(home) => PathBuf::from(home),
        None => {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache/kql-oracle")
        }
    };
    let package = home.join("node_modules/@kusto/language-service-next/package.json");
    if !package.is_file() {
        return Err(Unavailable::MissingPackage(package));
    }
    Ok(script)
}

impl Oracle {
    /// Starts `node <script> --ndjson`.
    ///
    /// # Errors
    ///
    /// Returns a message when the process cannot be started.
    pub fn start(script: &Path) -> Result<Oracle, String> {
        Oracle::start_with(script, ANSWER_TIMEOUT)
    }

    /// Starts `node <script> --ndjson` with a given time limit per answer.
    ///
    /// # Errors
    ///
    /// Returns a message when the process cannot be started.
    pub fn start_with(script: &Path, timeout: Duration) -> Result<Oracle, String> {
        let mut child = Command::new("node")
            .arg(script)
            .arg("--ndjson")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|error| {
                format!("cannot start `node {} --ndjson`: {error}", script.display())
            })?;
        let stdin = child.stdin.take().ok_or("oracle stdin was not piped")?;
        let stdout = child.stdout.take().ok_or("oracle stdout was not piped")?;
        let stderr = child.stderr.take().ok_or("oracle stderr was not piped")?;

        let (request_tx, request_rx) = mpsc::channel::<String>();
        thread::spawn(move || write_requests(stdin, &request_rx));

        let (answer_tx, answer_rx) = mpsc::channel();
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let failed = line.is_err();
                if answer_tx.send(line).is_err() || failed {
                    break;
                }
            }
        });

        let stderr_tail = Arc::new(Mutex::new(String::new()));
        let tail = Arc::clone(&stderr_tail);
        thread::spawn(move || keep_tail(stderr, &tail));

        Ok(Oracle {
            child,
            requests: Some(request_tx),
            answers: answer_rx,
            stderr_tail,
            n_answered: 0,
            timeout,
        })
    }

    /// Asks for the syntax verdict of every `(id, query)` pair, in order.
    ///
    /// # Errors
    ///
    /// Returns a message naming the query being waited for when the oracle dies, hangs or
    /// answers out of turn.
    pub fn verdicts(&mut self, queries: &[(String, String)]) -> Result<Vec<OracleVerdict>, String> {
        let requests = self.requests.as_ref().ok_or("oracle input is already closed")?;
        for (id, query) in queries {
            let line = serde_json::json!({ "id": id, "query": query }).to_string();
            if requests.send(line).is_err() {
                break;
            }
        }

        let mut verdicts = Vec::with_capacity(queries.len());
        for (idx, (id, _)) in queries.iter().enumerate() {
            let line = match self.answers.recv_timeout(self.timeout) {
                Ok(Ok(line)) => line,
                Ok(Err(error)) => {
                    return Err(self.failure(idx, queries.len(), id, &error.to_string()));
                }
                Err(RecvTimeoutError::Timeout) => {
                    let _ = self.child.kill();
                    let why =
                        format!("no answer within {} ms; killed it", self.timeout.as_millis());
                    return Err(self.failure(idx, queries.len(), id, &why));
                }
                Err(RecvTimeoutError::Disconnected) => {
                    let status = match self.child.wait() {
                        Ok(status) => status.to_string(),
                        Err(error) => error.to_string(),
                    };
                    let why = format!("the process exited ({status})");
                    return Err(self.failure(idx, queries.len(), id, &why));
                }
            };
            self.n_answered += 1;
            let verdict = parse_answer(&line, id)
                .map_err(|why| self.failure(idx, queries.len(), id, &why))?;
            verdicts.push(verdict);
        }
        Ok(verdicts)
    }

    fn failure(&self, idx: usize, total: usize, id: &str, why: &str) -> String {
        let tail = self.stderr_tail.lock().map(|tail| tail.clone()).unwrap_or_default();
        let tail = if tail.trim().is_empty() { "(empty)".to_string() } else { tail };
        format!(
            "KQL oracle failed while answering query {} of {total} (`{id}`): {why}.\n\
             Answers received in this run before it: {}.\noracle stderr:\n{tail}",
            idx + 1,
            self.n_answered
        )
    }
}

impl Drop for Oracle {
    fn drop(&mut self) {
        self.requests = None;
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn write_requests(stdin: ChildStdin, requests: &Receiver<String>) {
    let mut stdin = std::io::BufWriter::new(stdin);
    while let Ok(first) = requests.recv() {
        // Write whatever is queued, then flush, so the oracle never waits on our buffer.
        let mut next = Some(first);
        while let Some(line) = next {
            if stdin.write_all(line.as_bytes()).is_err() || stdin.write_all(b"\n").is_err() {
                return;
            }
            next = requests.try_recv().ok();
        }
        if stdin.flush().is_err() {
            return;
        }
    }
}

/// Keeps the last few kilobytes of the oracle's stderr for error messages.
fn keep_tail(mut stderr: impl Read, tail: &Mutex<String>) {
    const KEEP: usize = 4096;
    let mut buffer = [0u8; 4096];
    loop {
        let n = match stderr.read(&mut buffer) {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        let Ok(mut tail) = tail.lock() else { return };
        tail.push_str(&String::from_utf8_lossy(&buffer[..n]));
        if tail.len() > KEEP {
            let mut cut = tail.len() - KEEP;
            while !tail.is_char_boundary(cut) {
                cut += 1;
            }
            tail.drain(..cut);
        }
    }
}

/// Reads one answer line: `{"id", "ok", "syntax": [diag], ...}` or `{"error": ...}`.
fn parse_answer(line: &str, expected_id: &str) -> Result<OracleVerdict, String> {
    let answer: serde_json::Value =
        serde_json::from_str(line).map_err(|error| format!("unreadable answer line ({error})"))?;
    if let Some(error) = answer.get("error") {
        return Err(format!("the oracle reported an error: {error}"));
    }
    let id = answer.get("id").and_then(serde_json::Value::as_str).unwrap_or_default();
    if id != expected_id {
        return Err(format!("answer is for `{id}`, out of turn"));
    }
    let Some(syntax) = answer.get("syntax").and_then(serde_json::Value::as_array) else {
        return Err("answer has no `syntax` list".to_string());
    };
    let first = syntax.first().map(|diag| {
        let text = |name: &str| {
            diag.get(name).and_then(serde_json::Value::as_str).unwrap_or_default().to_string()
        };
        let number = |name: &str| diag.get(name).and_then(serde_json::Value::as_u64).unwrap_or(0);
        OracleDiag {
            code: text("code"),
            message: text("message"),
            start_byte: number("startByte"),
            length_byte: number("lengthByte"),
        }
    });
    Ok(OracleVerdict { accepts: syntax.is_empty(), n_diagnostics: syntax.len(), first })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stand-in oracle: answers `ok` for queries, exits on `die` and stops answering on `hang`.
    const FAKE_ORACLE: &str = r#"
const rl = require('readline').createInterface({ input: process.stdin });
let hung = false;
rl.on('line', line => {
  const v = JSON.parse(line);
  if (v.query === 'die') { process.stderr.write('fake oracle: dying\n'); process.exit(3); }
  if (v.query === 'hang') hung = true;
  if (hung) return;
  process.stdout.write(JSON.stringify({ id: v.id, ok: true, syntax: [], semantic: null }) + '\n');
});
"#;

    fn fake_oracle(name: &str, timeout: Duration) -> Option<Oracle> {
        if Command::new("node").arg("--version").stdout(Stdio::null()).status().is_err() {
            crate::support::loud("SKIPPED: oracle failure handling: `node` cannot be run");
            return None;
        }
        let dir = std::env::temp_dir().join(format!("palisade-fake-oracle-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let script = dir.join(format!("{name}.js"));
        std::fs::write(&script, FAKE_ORACLE).unwrap();
        Some(Oracle::start_with(&script, timeout).unwrap())
    }

    fn pairs(queries: &[&str]) -> Vec<(String, String)> {
        queries
            .iter()
            .enumerate()
            .map(|(idx, query)| (format!("q{idx}"), query.to_string()))
            .collect()
    }

    #[test]
    fn reports_an_oracle_that_dies_mid_run() {
        let Some(mut oracle) = fake_oracle("dies", Duration::from_secs(20)) else { return };
        let error = oracle.verdicts(&pairs(&["T", "T | take 1", "die", "T"])).unwrap_err();
        assert!(error.contains("query 3 of 4 (`q2`)"), "{error}");
        assert!(error.contains("the process exited"), "{error}");
        assert!(error.contains("fake oracle: dying"), "{error}");
    }

    #[test]
    fn reports_an_oracle_that_hangs() {
        let Some(mut oracle) = fake_oracle("hangs", Duration::from_millis(1500)) else { return };
        let error = oracle.verdicts(&pairs(&["T", "hang", "T"])).unwrap_err();
        assert!(error.contains("query 2 of 3 (`q1`)"), "{error}");
        assert!(error.contains("no answer within 1500 ms"), "{error}");
    }

    #[test]
    fn reads_verdicts_in_order() {
        let Some(mut oracle) = fake_oracle("answers", Duration::from_secs(20)) else { return };
        let verdicts = oracle.verdicts(&pairs(&["T", "U"])).unwrap();
        assert_eq!(verdicts.len(), 2);
        assert!(verdicts.iter().all(|verdict| verdict.accepts));
    }
}
