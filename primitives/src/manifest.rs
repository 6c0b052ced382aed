//! The deployment manifest: what a tenant asks its provider to run, and its hash, which the
//! chain records as the deployment's version. The CLI computes the hash before placing the
//! order; the provider's gateway computes it again from what it receives and deploys only
//! on a match.
//!
//! A manifest is written in YAML or JSON ([`Manifest::parse`] reads both):
//!
//! ```yaml
//! version: 1
//! services:
//!   web:
//!     image: localhost/ccre/busybox:latest
//!     command: [httpd, -f, -p, "${PORT}", -h, /www]
//!     env: { GREETING: hello }
//!     ports: [{ port: 8080 }]
//!     resources: { cpu_millicores: 500, memory_mib: 256 }
//!     count: 1
//! ```
//!
//! ## The hash
//!
//! The hash is SHA-256 over the manifest's canonical form, so that any client in any
//! language can compute it and formatting does not matter:
//! - the manifest as parsed, with every optional field filled in with its default (`command`
//!   `[]`, `env` `{}`, `ports` `[]`, `count` `1`, a port's `protocol` `"tcp"`), except
//!   `credentials`, which is left out when absent;
//! - written as JSON with the keys of every object sorted by their UTF-8 bytes, no
//!   whitespace, strings escaped as `JSON.stringify` escapes them, integers in decimal.
//!
//! In JavaScript: sort the keys recursively, `JSON.stringify`, SHA-256 the UTF-8 bytes.

use crate::{Capacity, ManifestHash, ResourceSet};
use alloc::{
	collections::BTreeMap,
	string::{String, ToString},
	vec::Vec,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The manifest format this module reads and hashes.
pub const MANIFEST_VERSION: u32 = 1;

/// The largest manifest a gateway accepts, in bytes.
pub const MAX_MANIFEST_LEN: usize = 64 * 1024;

/// The most services one manifest may have.
pub const MAX_SERVICES: usize = 32;

/// The most instances one service may run (its `count`).
pub const MAX_INSTANCES_PER_SERVICE: u32 = 32;

/// The most instances all services of a manifest may run together.
pub const MAX_INSTANCES: u32 = 64;

/// The longest image reference, in bytes (Docker's limit on a whole reference is 255 for
/// the name; a tag and digest come on top).
pub const MAX_IMAGE_LEN: usize = 512;

/// What every instance must name, since the engine limits it: CPU time and memory.
pub const REQUIRED_CAPACITIES: [Capacity; 2] = [Capacity::CpuMillicores, Capacity::MemoryMib];

/// A deployment: its services by name.
#[derive(Serialize, Deserialize, Clone, PartialEq, Eq, Debug)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
	/// The manifest format: [`MANIFEST_VERSION`].
	pub version: u32,
	/// The services, by name (a DNS label: lowercase letters, digits and `-`).
	pub services: BTreeMap<String, Service>,
}

/// One service of a deployment.
#[derive(Serialize, Deserialize, Clone, PartialEq, Eq, Debug)]
#[serde(deny_unknown_fields)]
pub struct Service {
	/// The OCI image its instances run (`registry/name:tag` or `name@sha256:…`).
	pub image: String,
	/// The program and its arguments; empty for the image's own entrypoint and command.
	#[serde(default)]
	pub command: Vec<String>,
	/// How to log in to the image's registry, if it is private. Never passed to the
	/// instances; providers keep it out of their stored state.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub credentials: Option<Credentials>,
	/// Its environment.
	#[serde(default)]
	pub env: BTreeMap<String, String>,
	/// The ports it listens on.
	#[serde(default)]
	pub ports: Vec<Port>,
	/// What one instance needs: capacities only (placement belongs to the order).
	pub resources: ResourceSet,
	/// How many instances run.
	#[serde(default = "one")]
	pub count: u32,
}

/// A login to a private registry.
#[derive(Serialize, Deserialize, Clone, PartialEq, Eq, Debug)]
#[serde(deny_unknown_fields)]
pub struct Credentials {
	/// The user name.
	pub username: String,
	/// The password or token.
	pub password: String,
}

/// A port a service listens on.
#[derive(Serialize, Deserialize, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
#[serde(deny_unknown_fields)]
pub struct Port {
	/// The port number.
	pub port: u16,
	/// Its transport protocol.
	#[serde(default)]
	pub protocol: Protocol,
}

/// A port's transport protocol.
#[derive(Serialize, Deserialize, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Debug)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
	/// TCP (HTTP included).
	#[default]
	Tcp,
	/// UDP.
	Udp,
}

fn one() -> u32 {
	1
}

/// Why a manifest is refused.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum ManifestError {
	/// It is longer than [`MAX_MANIFEST_LEN`].
	TooLarge,
	/// It is not a manifest: the parser's message.
	Malformed(String),
	/// Its `version` is not one this code reads.
	UnsupportedVersion(u32),
	/// It has no services.
	NoServices,
	/// It has more than [`MAX_SERVICES`].
	TooManyServices,
	/// A service's name is not a DNS label.
	InvalidServiceName(String),
	/// A service's image reference is empty, too long or has characters no reference has.
	InvalidImage(String),
	/// A service's command has an empty program.
	EmptyCommand(String),
	/// A service runs no instance.
	ZeroCount(String),
	/// A service runs more than [`MAX_INSTANCES_PER_SERVICE`] instances.
	TooManyInstances(String),
	/// The services run more than [`MAX_INSTANCES`] instances together.
	TooManyInstancesInAll,
	/// A service asks for no resources.
	NoResources(String),
	/// A service does not name one of [`REQUIRED_CAPACITIES`], or names a capacity as zero.
	ZeroResource(String, Capacity),
	/// A service names placement properties, which belong to the order.
	ServiceProperty(String),
	/// A service listens on port 0 or names a port twice.
	InvalidPort(String, u16),
	/// A service's environment variable name is empty or contains `=` or NUL.
	InvalidEnvName(String, String),
	/// The resources of all instances overflow.
	ResourcesOverflow,
}

impl core::fmt::Display for ManifestError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			Self::TooLarge => write!(f, "the manifest is over {MAX_MANIFEST_LEN} bytes"),
			Self::Malformed(reason) => write!(f, "malformed manifest: {reason}"),
			Self::UnsupportedVersion(version) => {
				write!(f, "manifest version {version} is not supported (use {MANIFEST_VERSION})")
			},
			Self::NoServices => write!(f, "the manifest has no services"),
			Self::TooManyServices => write!(f, "the manifest has over {MAX_SERVICES} services"),
			Self::InvalidServiceName(name) => write!(
				f,
				"service name {name:?} is not a DNS label (1-63 of a-z, 0-9, -; no - at the ends)"
			),
			Self::InvalidImage(name) => write!(
				f,
				"service {name}: the image is not an image reference (1-{MAX_IMAGE_LEN} of a-z, A-Z, 0-9, . _ - / : @)"
			),
			Self::EmptyCommand(name) => write!(f, "service {name}: the command's program is empty"),
			Self::ZeroCount(name) => write!(f, "service {name} runs no instance (count 0)"),
			Self::TooManyInstances(name) => write!(
				f,
				"service {name} runs over {MAX_INSTANCES_PER_SERVICE} instances"
			),
			Self::TooManyInstancesInAll => {
				write!(f, "the services run over {MAX_INSTANCES} instances together")
			},
			Self::NoResources(name) => write!(f, "service {name} asks for no resources"),
			Self::ZeroResource(name, capacity) => {
				write!(f, "service {name} must ask for more than zero {capacity:?}")
			},
			Self::ServiceProperty(name) => write!(
				f,
				"service {name} names placement properties; put them in the order's placement"
			),
			Self::InvalidPort(name, port) => {
				write!(f, "service {name}: port {port} is zero or listed twice")
			},
			Self::InvalidEnvName(name, variable) => {
				write!(f, "service {name}: environment variable name {variable:?} is invalid")
			},
			Self::ResourcesOverflow => write!(f, "the manifest's resources overflow"),
		}
	}
}

impl Manifest {
	/// Parses and checks a manifest written in YAML or JSON (which is YAML too).
	pub fn parse(bytes: &[u8]) -> Result<Self, ManifestError> {
		if bytes.len() > MAX_MANIFEST_LEN {
			return Err(ManifestError::TooLarge);
		}
		let manifest: Manifest = serde_yaml::from_slice(bytes)
			.map_err(|error| ManifestError::Malformed(error.to_string()))?;
		manifest.validate()?;
		Ok(manifest)
	}

	/// Checks everything the types do not: the version, service names, commands, counts,
	/// resources, ports and environment names.
	pub fn validate(&self) -> Result<(), ManifestError> {
		if self.version != MANIFEST_VERSION {
			return Err(ManifestError::UnsupportedVersion(self.version));
		}
		if self.services.is_empty() {
			return Err(ManifestError::NoServices);
		}
		if self.services.len() > MAX_SERVICES {
			return Err(ManifestError::TooManyServices);
		}
		for (name, service) in &self.services {
			service.validate(name)?;
		}
		// Each count is at most MAX_INSTANCES_PER_SERVICE here, so the sum cannot overflow.
		let instances: u32 = self.services.values().map(|service| service.count).sum();
		if instances > MAX_INSTANCES {
			return Err(ManifestError::TooManyInstancesInAll);
		}
		self.total_resources().map(|_| ())
	}

	/// What all instances of all services need together: the least a lease must provide.
	pub fn total_resources(&self) -> Result<ResourceSet, ManifestError> {
		self.services.values().try_fold(ResourceSet::default(), |total, service| {
			service
				.resources
				.scaled(service.count)
				.and_then(|instances| total.plus(&instances))
				.ok_or(ManifestError::ResourcesOverflow)
		})
	}

	/// The canonical form the hash is taken over (see the module documentation).
	pub fn canonical_json(&self) -> Vec<u8> {
		let mut out = Vec::new();
		// Serialising these types to a `Value` cannot fail: every map key is a string.
		if let Ok(value) = serde_json::to_value(self) {
			write_canonical(&value, &mut out);
		}
		out
	}

	/// Whether a service names a registry login.
	pub fn has_credentials(&self) -> bool {
		self.services.values().any(|service| service.credentials.is_some())
	}

	/// The manifest with every registry login removed (what a provider may store).
	pub fn without_credentials(&self) -> Self {
		let mut manifest = self.clone();
		for service in manifest.services.values_mut() {
			service.credentials = None;
		}
		manifest
	}

	/// The manifest's hash: SHA-256 of its canonical form.
	pub fn hash(&self) -> ManifestHash {
		sp_crypto_hashing::sha2_256(&self.canonical_json())
	}
}

impl Service {
	fn validate(&self, name: &str) -> Result<(), ManifestError> {
		let label = name.as_bytes();
		let valid_name = (1..=63).contains(&label.len())
			&& label
				.iter()
				.all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || *byte == b'-')
			&& label.first() != Some(&b'-')
			&& label.last() != Some(&b'-');
		if !valid_name {
			return Err(ManifestError::InvalidServiceName(name.into()));
		}
		if !is_image_reference(&self.image) {
			return Err(ManifestError::InvalidImage(name.into()));
		}
		if self.command.first().is_some_and(String::is_empty) {
			return Err(ManifestError::EmptyCommand(name.into()));
		}
		if self.count == 0 {
			return Err(ManifestError::ZeroCount(name.into()));
		}
		if self.count > MAX_INSTANCES_PER_SERVICE {
			return Err(ManifestError::TooManyInstances(name.into()));
		}
		if self.resources.capacities().next().is_none() {
			return Err(ManifestError::NoResources(name.into()));
		}
		let named_as_zero = self.resources.capacities().find(|(_, amount)| *amount == 0);
		let missing = REQUIRED_CAPACITIES
			.into_iter()
			.find(|capacity| self.resources.capacity(*capacity).is_none());
		if let Some(capacity) = named_as_zero.map(|(capacity, _)| capacity).or(missing) {
			return Err(ManifestError::ZeroResource(name.into(), capacity));
		}
		if self.resources.properties().next().is_some() {
			return Err(ManifestError::ServiceProperty(name.into()));
		}
		for (index, port) in self.ports.iter().enumerate() {
			if port.port == 0 || self.ports[..index].iter().any(|other| other == port) {
				return Err(ManifestError::InvalidPort(name.into(), port.port));
			}
		}
		if let Some(variable) =
			self.env.keys().find(|variable| variable.is_empty() || variable.contains(['=', '\0']))
		{
			return Err(ManifestError::InvalidEnvName(name.into(), variable.clone()));
		}
		Ok(())
	}
}

/// Whether `image` can be an OCI image reference: not empty, bounded, and of the characters
/// references are made of (the engine parses it fully; this keeps option-like or
/// whitespace-laden strings from reaching its command line).
fn is_image_reference(image: &str) -> bool {
	(1..=MAX_IMAGE_LEN).contains(&image.len())
		&& image.bytes().next().is_some_and(|first| first.is_ascii_alphanumeric())
		&& image.bytes().all(|byte| byte.is_ascii_alphanumeric() || b"._-/:@".contains(&byte))
}

/// Writes `value` as JSON with every object's keys sorted by their UTF-8 bytes and no
/// whitespace. Strings are escaped as serde_json escapes them, which is as `JSON.stringify`
/// does.
fn write_canonical(value: &Value, out: &mut Vec<u8>) {
	match value {
		Value::Object(map) => {
			let mut entries: Vec<(&String, &Value)> = map.iter().collect();
			entries.sort_by(|(one, _), (two, _)| one.as_bytes().cmp(two.as_bytes()));
			out.push(b'{');
			for (index, (key, value)) in entries.into_iter().enumerate() {
				if index > 0 {
					out.push(b',');
				}
				write_string(key, out);
				out.push(b':');
				write_canonical(value, out);
			}
			out.push(b'}');
		},
		Value::Array(items) => {
			out.push(b'[');
			for (index, item) in items.iter().enumerate() {
				if index > 0 {
					out.push(b',');
				}
				write_canonical(item, out);
			}
			out.push(b']');
		},
		Value::String(text) => write_string(text, out),
		// Numbers (integers only in a manifest), booleans and null as serde_json writes them.
		other => out.extend_from_slice(other.to_string().as_bytes()),
	}
}

fn write_string(text: &str, out: &mut Vec<u8>) {
	out.extend_from_slice(Value::String(text.into()).to_string().as_bytes());
}

#[cfg(test)]
mod tests {
	use super::*;
	use proptest::prelude::*;

	const EXAMPLE: &str = r#"{
		"version": 1,
		"services": {
			"web": {
				"image": "localhost/ccre/busybox:latest",
				"command": ["python3", "-m", "http.server", "8080"],
				"env": {"GREETING": "héllo \"world\""},
				"ports": [{"port": 8080}],
				"resources": {"memory_mib": 256, "cpu_millicores": 500}
			}
		}
	}"#;

	fn example() -> Manifest {
		Manifest::parse(EXAMPLE.as_bytes()).expect("the example is valid")
	}

	#[test]
	fn the_canonical_form_fills_defaults_and_sorts_keys_without_whitespace() {
		let canonical = String::from_utf8(example().canonical_json()).expect("UTF-8");
		assert_eq!(
			canonical,
			r#"{"services":{"web":{"command":["python3","-m","http.server","8080"],"count":1,"env":{"GREETING":"héllo \"world\""},"image":"localhost/ccre/busybox:latest","ports":[{"port":8080,"protocol":"tcp"}],"resources":{"cpu_millicores":500,"memory_mib":256}}},"version":1}"#
		);
		// The digest Python gives for `json.dumps(manifest, sort_keys=True,
		// separators=(",", ":"), ensure_ascii=False)`, computed independently of this code.
		assert_eq!(
			crate::hex::encode(&example().hash()),
			"0xacd9c468a8486cfdf66cf564c14e6291054fcddc169ba94d592105e113e6e4cc"
		);
	}

	#[test]
	fn yaml_and_json_of_the_same_manifest_hash_alike() {
		let yaml = "version: 1\nservices:\n  web:\n    image: localhost/ccre/busybox:latest\n    command: [python3, -m, http.server, \"8080\"]\n    env: { GREETING: 'héllo \"world\"' }\n    ports:\n      - port: 8080\n    resources: { cpu_millicores: 500, memory_mib: 256 }\n";
		assert_eq!(
			Manifest::parse(yaml.as_bytes()).map(|manifest| manifest.hash()),
			Ok(example().hash())
		);
	}

	#[test]
	fn formatting_and_key_order_do_not_change_the_hash_and_content_does() {
		let reordered = r#"{"services":{"web":{"image":"localhost/ccre/busybox:latest","resources":{"cpu_millicores":500,"memory_mib":256},
			"count":1,"ports":[{"protocol":"tcp","port":8080}],"env":{"GREETING":"héllo \"world\""},
			"command":["python3","-m","http.server","8080"]}},"version":1}"#;
		let reordered = Manifest::parse(reordered.as_bytes()).expect("valid");
		assert_eq!(reordered.hash(), example().hash());
		let mut changed = example();
		if let Some(web) = changed.services.get_mut("web") {
			web.count = 2;
		}
		assert_ne!(changed.hash(), example().hash());
	}

	#[test]
	fn bad_manifests_are_refused_with_their_reason() {
		let with = |edit: &dyn Fn(&mut Service)| {
			let mut manifest = example();
			if let Some(web) = manifest.services.get_mut("web") {
				edit(web);
			}
			manifest.validate()
		};
		assert!(matches!(Manifest::parse(b"services: [web]"), Err(ManifestError::Malformed(_))));
		assert!(matches!(
			Manifest::parse(br#"{"version":1,"services":{},"extra":1}"#),
			Err(ManifestError::Malformed(_))
		));
		assert_eq!(
			Manifest::parse(&alloc::vec![b' '; MAX_MANIFEST_LEN + 1]),
			Err(ManifestError::TooLarge)
		);
		assert_eq!(
			Manifest { version: 2, ..example() }.validate(),
			Err(ManifestError::UnsupportedVersion(2))
		);
		assert_eq!(
			Manifest { services: BTreeMap::new(), ..example() }.validate(),
			Err(ManifestError::NoServices)
		);
		let web = example().services.remove("web").expect("web");
		for name in ["Web", "", "-web", "web-", "w_b"] {
			let manifest =
				Manifest { services: [(name.to_string(), web.clone())].into(), ..example() };
			assert_eq!(manifest.validate(), Err(ManifestError::InvalidServiceName(name.into())));
		}
		let many = (0..=MAX_SERVICES).map(|index| (alloc::format!("s{index}"), web.clone()));
		assert_eq!(
			Manifest { services: many.collect(), ..example() }.validate(),
			Err(ManifestError::TooManyServices)
		);
		let name = String::from("web");
		assert_eq!(with(&|web| web.command.clear()), Ok(()), "the image's own command");
		assert_eq!(
			with(&|web| web.command = alloc::vec![String::new()]),
			Err(ManifestError::EmptyCommand(name.clone()))
		);
		let long_image = "a".repeat(MAX_IMAGE_LEN + 1);
		for image in ["", "--privileged", "busybox latest", "ubuntu\n", long_image.as_str()] {
			assert_eq!(
				with(&|web| web.image = image.into()),
				Err(ManifestError::InvalidImage(name.clone())),
				"{image:?}"
			);
		}
		assert_eq!(
			with(&|web| web.image = "registry.example:5000/team/app@sha256:ab".into()),
			Ok(())
		);
		assert_eq!(with(&|web| web.count = 0), Err(ManifestError::ZeroCount(name.clone())));
		// One instance record each would exhaust a provider's memory before anything ran.
		assert_eq!(
			with(&|web| web.count = 4_000_000_000),
			Err(ManifestError::TooManyInstances(name.clone()))
		);
		assert_eq!(with(&|web| web.count = MAX_INSTANCES_PER_SERVICE), Ok(()));
		let full = (0..3).map(|index| {
			let mut service = example().services["web"].clone();
			service.count = MAX_INSTANCES_PER_SERVICE;
			(alloc::format!("s{index}"), service)
		});
		assert_eq!(
			Manifest { services: full.collect(), ..example() }.validate(),
			Err(ManifestError::TooManyInstancesInAll)
		);
		for (resources, capacity) in [
			(r#"{"cpu_millicores":0,"memory_mib":256}"#, Capacity::CpuMillicores),
			(r#"{"cpu_millicores":500}"#, Capacity::MemoryMib),
			(r#"{"cpu_millicores":500,"memory_mib":256,"storage_mib":0}"#, Capacity::StorageMib),
		] {
			let resources: ResourceSet = serde_json::from_str(resources).expect("set");
			assert_eq!(
				with(&|web| web.resources = ResourceSet::clone(&resources)),
				Err(ManifestError::ZeroResource(name.clone(), capacity))
			);
		}
		assert_eq!(
			with(&|web| web.resources = ResourceSet::default()),
			Err(ManifestError::NoResources(name.clone()))
		);
		let placed = serde_json::from_str(r#"{"cpu_millicores":1,"memory_mib":1,"region":"eu"}"#)
			.expect("set");
		assert_eq!(
			with(&|web| web.resources = ResourceSet::clone(&placed)),
			Err(ManifestError::ServiceProperty(name.clone()))
		);
		assert_eq!(
			with(&|web| web.ports.push(Port { port: 0, protocol: Protocol::Tcp })),
			Err(ManifestError::InvalidPort(name.clone(), 0))
		);
		assert_eq!(
			with(&|web| web.ports.push(Port { port: 8080, protocol: Protocol::Tcp })),
			Err(ManifestError::InvalidPort(name.clone(), 8080))
		);
		assert_eq!(
			with(&|web| {
				web.env.insert("A=B".into(), String::new());
			}),
			Err(ManifestError::InvalidEnvName(name.clone(), "A=B".into()))
		);
		let huge =
			serde_json::from_str(r#"{"cpu_millicores":1,"memory_mib":18446744073709551615}"#)
				.expect("set");
		assert_eq!(
			with(&|web| {
				web.resources = ResourceSet::clone(&huge);
				web.count = 2;
			}),
			Err(ManifestError::ResourcesOverflow)
		);
	}

	#[test]
	fn credentials_are_hashed_when_given_and_left_out_of_the_canonical_form_when_not() {
		let plain = String::from_utf8(example().canonical_json()).expect("UTF-8");
		assert!(!plain.contains("credentials"), "{plain}");
		let mut private = example();
		if let Some(web) = private.services.get_mut("web") {
			web.credentials =
				Some(Credentials { username: "robot".into(), password: "s3cret".into() });
		}
		let canonical = String::from_utf8(private.canonical_json()).expect("UTF-8");
		assert!(
			canonical.contains(r#""credentials":{"password":"s3cret","username":"robot"}"#),
			"{canonical}"
		);
		assert_ne!(private.hash(), example().hash());
		assert_eq!(Manifest::parse(canonical.as_bytes()), Ok(private.clone()));
		assert!(private.has_credentials() && !example().has_credentials());
		assert_eq!(private.without_credentials(), example());
	}

	#[test]
	fn the_total_adds_up_every_instance_of_every_service() {
		let mut manifest = example();
		let mut db = manifest.services["web"].clone();
		db.count = 2;
		manifest.services.insert("db".into(), db);
		let total = manifest.total_resources().expect("fits");
		assert_eq!(total.capacity(crate::Capacity::CpuMillicores), Some(1_500));
		assert_eq!(total.capacity(crate::Capacity::MemoryMib), Some(768));
	}

	proptest! {
		/// Whatever the environment, the canonical form parses back to the same manifest.
		#[test]
		fn the_canonical_form_reads_back_as_the_same_manifest(
			env in prop::collection::btree_map("[A-Z_]{1,8}", "\\PC{0,12}", 0..6),
			count in 1u32..10,
		) {
			let mut manifest = example();
			if let Some(web) = manifest.services.get_mut("web") {
				web.env = env;
				web.count = count;
			}
			let again = Manifest::parse(&manifest.canonical_json()).expect("valid");
			prop_assert_eq!(&again, &manifest);
			prop_assert_eq!(again.hash(), manifest.hash());
		}
	}
}
