//! Running the container engine's command line: bounded in time, its output read whole, its
//! failures typed.

use super::WorkloadError;
use std::{
	io::Read,
	os::unix::process::CommandExt,
	path::PathBuf,
	process::{Command, Stdio},
	thread,
	time::{Duration, Instant},
};

/// How often a running command is looked at.
const POLL: Duration = Duration::from_millis(20);

/// The most of a failing command's standard error kept in its error.
const MAX_REASON_LEN: usize = 2_000;

/// A command-line program and the arguments that come before every action (`podman`, or
/// `podman --root …`).
#[derive(Clone, Debug)]
pub struct Engine {
	/// The program and its leading arguments.
	pub command: Vec<String>,
	/// How long one action may take before it is killed and reported failed.
	pub timeout: Duration,
	/// The directory it runs in (conmon leaves files such as `oom` in its working directory).
	pub workdir: PathBuf,
}

impl Engine {
	/// Runs the engine with `args`; its standard output if it exits with 0, otherwise a
	/// [`WorkloadError::Engine`] naming `args[0]` and what it printed on standard error.
	pub fn run<S: AsRef<str>>(&self, args: &[S]) -> Result<String, WorkloadError> {
		let action = args.first().map_or("", AsRef::as_ref).to_string();
		let (program, leading) = self.command.split_first().ok_or_else(|| {
			WorkloadError::Engine { action: action.clone(), reason: "no engine is set".into() }
		})?;
		let failed = |reason: String| WorkloadError::Engine { action: action.clone(), reason };
		std::fs::create_dir_all(&self.workdir)
			.map_err(|error| failed(format!("{}: {error}", self.workdir.display())))?;
		let mut child = Command::new(program)
			.current_dir(&self.workdir)
			.args(leading)
			.args(args.iter().map(AsRef::as_ref))
			.stdin(Stdio::null())
			.stdout(Stdio::piped())
			.stderr(Stdio::piped())
			// Its own process group, so that a timeout stops whatever it started too (which
			// would otherwise hold its output open).
			.process_group(0)
			.spawn()
			.map_err(|error| failed(format!("{program}: {error}")))?;
		// Read on their own threads, so that a full pipe never blocks the engine.
		let stdout = child.stdout.take().map(read_all);
		let stderr = child.stderr.take().map(read_all);
		let deadline = Instant::now() + self.timeout;
		let status = loop {
			match child.try_wait() {
				Ok(Some(status)) => break Ok(status),
				Ok(None) if Instant::now() < deadline => thread::sleep(POLL),
				Ok(None) => {
					if let Ok(group) = libc::pid_t::try_from(child.id()) {
						// SAFETY: kill(2) takes no pointers; the group is the child's own
						// (never 0 or 1, which would reach this process or every one).
						unsafe {
							libc::kill(-group, libc::SIGKILL);
						}
					}
					let _ = child.wait();
					break Err(format!("no answer in {:?}", self.timeout));
				},
				Err(error) => break Err(error.to_string()),
			}
		};
		let stdout = stdout.and_then(|reader| reader.join().ok()).unwrap_or_default();
		let stderr = stderr.and_then(|reader| reader.join().ok()).unwrap_or_default();
		match status {
			Ok(status) if status.success() => Ok(stdout),
			Ok(status) => {
				let mut reason = stderr.trim().to_string();
				if reason.is_empty() {
					reason = status.to_string();
				}
				truncate(&mut reason, MAX_REASON_LEN);
				Err(failed(reason))
			},
			Err(reason) => Err(failed(reason)),
		}
	}
}

/// A thread reading `pipe` to its end, lossily as UTF-8.
fn read_all(mut pipe: impl Read + Send + 'static) -> thread::JoinHandle<String> {
	thread::spawn(move || {
		let mut bytes = Vec::new();
		let _ = pipe.read_to_end(&mut bytes);
		String::from_utf8_lossy(&bytes).into_owned()
	})
}

/// Cuts `text` to at most `max` bytes, on a character boundary.
fn truncate(text: &mut String, max: usize) {
	if text.len() > max {
		let mut end = max;
		while !text.is_char_boundary(end) {
			end -= 1;
		}
		text.truncate(end);
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn engine(command: &[&str], timeout: Duration) -> Engine {
		Engine {
			command: command.iter().map(|part| part.to_string()).collect(),
			timeout,
			workdir: std::env::temp_dir(),
		}
	}

	#[test]
	fn output_failures_and_hangs_are_told_apart() {
		let shell = engine(&["sh", "-c"], Duration::from_secs(5));
		assert_eq!(shell.run(&["echo out; echo err >&2"]), Ok("out\n".into()));
		assert_eq!(
			shell.run(&["echo bad >&2; exit 3"]),
			Err(WorkloadError::Engine {
				action: "echo bad >&2; exit 3".into(),
				reason: "bad".into()
			})
		);
		let slow = engine(&["sh", "-c"], Duration::from_millis(200));
		let started = Instant::now();
		assert!(matches!(
			slow.run(&["sleep 30"]),
			Err(WorkloadError::Engine { reason, .. }) if reason.starts_with("no answer")
		));
		assert!(started.elapsed() < Duration::from_secs(5), "killed at the timeout");
		assert!(matches!(
			engine(&["/nonexistent/engine"], Duration::from_secs(1)).run(&["ps"]),
			Err(WorkloadError::Engine { action, .. }) if action == "ps"
		));
	}

	#[test]
	fn long_reasons_are_cut_on_a_character_boundary() {
		let mut text = "é".repeat(10);
		truncate(&mut text, 5);
		assert_eq!(text, "éé");
	}
}
