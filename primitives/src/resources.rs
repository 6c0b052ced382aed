//! Resource sets (seed 001): a partial set of typed attributes describing what an order
//! requires or what a provider offers.
//!
//! *Capacities* have a total order and match inclusively: an offer of 4 000 millicores
//! satisfies a requirement of 2 000. *Properties* have no order and match exactly: region
//! `eu-west` satisfies only `eu-west`. A set names only the attributes it cares about; an
//! attribute the requirement names must be present in the offer.

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};
use sp_runtime::{traits::ConstU32, BoundedVec};

/// Attributes with a total order, matched inclusively (the offer has at least as much).
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Serialize,
	Deserialize,
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Debug,
)]
#[serde(rename_all = "snake_case")]
pub enum Capacity {
	/// CPU, in thousandths of a core.
	CpuMillicores,
	/// Memory, in MiB.
	MemoryMib,
	/// Persistent storage, in MiB.
	StorageMib,
	/// Whole GPUs.
	Gpus,
	/// Network bandwidth, in Mbit/s.
	BandwidthMbps,
	/// CPU clock speed, in MHz.
	ClockMhz,
}

impl Capacity {
	/// Every capacity, in order.
	pub const ALL: [Capacity; 6] = [
		Capacity::CpuMillicores,
		Capacity::MemoryMib,
		Capacity::StorageMib,
		Capacity::Gpus,
		Capacity::BandwidthMbps,
		Capacity::ClockMhz,
	];

	/// Whether amounts of it add up across units and services (cores, memory, GPUs), rather
	/// than being a quality each must have (clock speed): 4 units of 3 000 MHz cores need
	/// 3 000 MHz, not 12 000.
	pub fn is_additive(self) -> bool {
		self != Capacity::ClockMhz
	}
}

/// Attributes without an order, matched exactly.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Serialize,
	Deserialize,
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Debug,
)]
#[serde(rename_all = "snake_case")]
pub enum Property {
	/// Where the hardware is, e.g. `eu-west`.
	Region,
	/// CPU architecture, e.g. `x86_64`.
	Architecture,
	/// GPU model, e.g. `a100`.
	GpuModel,
	/// Operating system, e.g. `linux`.
	Os,
	/// Service tier, e.g. `datacenter` or `community`.
	Tier,
}

impl Property {
	/// Every property, in order.
	pub const ALL: [Property; 5] = [
		Property::Region,
		Property::Architecture,
		Property::GpuModel,
		Property::Os,
		Property::Tier,
	];
}

/// The longest property value, in bytes.
pub const MAX_PROPERTY_VALUE_LEN: u32 = 32;

/// A property's value: non-empty, at most [`MAX_PROPERTY_VALUE_LEN`] bytes (by convention
/// lower-case ASCII such as `eu-west`; compared byte for byte).
pub type PropertyValue = BoundedVec<u8, ConstU32<MAX_PROPERTY_VALUE_LEN>>;

/// Capacities as a call takes them, bounded at decode: at most one of each kind.
pub type Capacities = BoundedVec<(Capacity, u64), ConstU32<6>>;

/// Properties as a call takes them, bounded at decode: at most one of each kind.
pub type Properties = BoundedVec<(Property, PropertyValue), ConstU32<5>>;

/// Why a list of attributes is not a valid resource set.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ResourceSetError {
	/// The same capacity appears twice.
	DuplicateCapacity(Capacity),
	/// The same property appears twice.
	DuplicateProperty(Property),
	/// A property value is empty.
	EmptyPropertyValue(Property),
	/// A property value is longer than [`MAX_PROPERTY_VALUE_LEN`] bytes.
	PropertyValueTooLong(Property),
}

/// A partial set of resources, kept in canonical form: each attribute at most once, sorted by
/// attribute, so equal sets encode (and hash) equally.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	PartialEq,
	Eq,
	Debug,
	Default,
)]
pub struct ResourceSet {
	capacities: BoundedVec<(Capacity, u64), ConstU32<6>>,
	properties: BoundedVec<(Property, PropertyValue), ConstU32<5>>,
}

impl ResourceSet {
	/// A resource set from capacities and properties in any order.
	pub fn new(
		capacities: impl IntoIterator<Item = (Capacity, u64)>,
		properties: impl IntoIterator<Item = (Property, Vec<u8>)>,
	) -> Result<Self, ResourceSetError> {
		let mut set = ResourceSet::default();
		for (capacity, amount) in capacities {
			set = set.with_capacity(capacity, amount)?;
		}
		for (property, value) in properties {
			set = set.with_property(property, value)?;
		}
		Ok(set)
	}

	/// This set with `capacity` added; an error if it is already present.
	pub fn with_capacity(
		mut self,
		capacity: Capacity,
		amount: u64,
	) -> Result<Self, ResourceSetError> {
		insert_sorted(&mut self.capacities, capacity, amount)
			.map_err(|()| ResourceSetError::DuplicateCapacity(capacity))?;
		Ok(self)
	}

	/// This set with `property` added; an error if it is present, empty or too long.
	pub fn with_property(
		mut self,
		property: Property,
		value: Vec<u8>,
	) -> Result<Self, ResourceSetError> {
		if value.is_empty() {
			return Err(ResourceSetError::EmptyPropertyValue(property));
		}
		let value = PropertyValue::try_from(value)
			.map_err(|_| ResourceSetError::PropertyValueTooLong(property))?;
		insert_sorted(&mut self.properties, property, value)
			.map_err(|()| ResourceSetError::DuplicateProperty(property))?;
		Ok(self)
	}

	/// The amount of `capacity` in this set, if it names it.
	pub fn capacity(&self, capacity: Capacity) -> Option<u64> {
		self.capacities.iter().find(|(kind, _)| *kind == capacity).map(|(_, amount)| *amount)
	}

	/// The value of `property` in this set, if it names it.
	pub fn property(&self, property: Property) -> Option<&[u8]> {
		self.properties.iter().find(|(kind, _)| *kind == property).map(|(_, value)| &value[..])
	}

	/// The capacities this set names, in canonical order.
	pub fn capacities(&self) -> impl Iterator<Item = (Capacity, u64)> + '_ {
		self.capacities.iter().copied()
	}

	/// The properties this set names, in canonical order.
	pub fn properties(&self) -> impl Iterator<Item = (Property, &[u8])> + '_ {
		self.properties.iter().map(|(property, value)| (*property, &value[..]))
	}

	/// Whether this set is in canonical form. Sets built with [`ResourceSet::new`] always
	/// are; one decoded from untrusted input (an extrinsic) must be checked.
	pub fn is_canonical(&self) -> bool {
		self.capacities.windows(2).all(|pair| pair[0].0 < pair[1].0)
			&& self.properties.windows(2).all(|pair| pair[0].0 < pair[1].0)
			&& self.properties.iter().all(|(_, value)| !value.is_empty())
	}

	/// Whether the set names no attribute at all.
	pub fn is_empty(&self) -> bool {
		self.capacities.is_empty() && self.properties.is_empty()
	}

	/// This set with every additive capacity multiplied by `units`, for an order of several
	/// units; `None` if an amount overflows.
	pub fn scaled(&self, units: u32) -> Option<Self> {
		let mut scaled = self.clone();
		for (capacity, amount) in scaled.capacities.iter_mut() {
			if capacity.is_additive() {
				*amount = amount.checked_mul(u64::from(units))?;
			}
		}
		Some(scaled)
	}

	/// The capacities of this set and `other` together: additive ones summed, the others the
	/// larger of the two. Properties are left out. `None` if an amount overflows.
	pub fn plus(&self, other: &ResourceSet) -> Option<Self> {
		let mut total = ResourceSet::default();
		for capacity in Capacity::ALL {
			let amount = match (self.capacity(capacity), other.capacity(capacity)) {
				(None, None) => continue,
				(Some(one), None) | (None, Some(one)) => one,
				(Some(one), Some(two)) if capacity.is_additive() => one.checked_add(two)?,
				(Some(one), Some(two)) => one.max(two),
			};
			total = total.with_capacity(capacity, amount).ok()?;
		}
		Some(total)
	}

	/// This set with `other`'s properties added (its capacities are ignored); an error if a
	/// property is in both.
	pub fn with_properties_of(self, other: &ResourceSet) -> Result<Self, ResourceSetError> {
		other
			.properties
			.iter()
			.try_fold(self, |set, (property, value)| set.with_property(*property, value.to_vec()))
	}
}

/// Inserts `(key, value)` keeping `list` sorted by key; `Err` if the key is already there.
/// The bound is the number of distinct keys, so a list without the key always has room.
fn insert_sorted<K: Ord + Copy, V, S: sp_runtime::traits::Get<u32>>(
	list: &mut BoundedVec<(K, V), S>,
	key: K,
	value: V,
) -> Result<(), ()> {
	let index = list.binary_search_by_key(&key, |(existing, _)| *existing).err().ok_or(())?;
	list.try_insert(index, (key, value)).map_err(|_| ())
}

/// In JSON and YAML a resource set is a map from attribute name to value, capacities as
/// numbers and properties as strings: `{"cpu_millicores": 2000, "region": "eu-west"}`.
impl Serialize for ResourceSet {
	fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
		use serde::ser::SerializeMap;
		let mut map =
			serializer.serialize_map(Some(self.capacities.len() + self.properties.len()))?;
		for (capacity, amount) in self.capacities.iter() {
			map.serialize_entry(capacity, amount)?;
		}
		for (property, value) in self.properties.iter() {
			map.serialize_entry(property, &alloc::string::String::from_utf8_lossy(value))?;
		}
		map.end()
	}
}

impl<'de> Deserialize<'de> for ResourceSet {
	fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
		/// An attribute name: a capacity or a property.
		#[derive(Deserialize)]
		#[serde(untagged)]
		enum Attribute {
			Capacity(Capacity),
			Property(Property),
		}

		struct SetVisitor;

		impl<'de> serde::de::Visitor<'de> for SetVisitor {
			type Value = ResourceSet;

			fn expecting(&self, formatter: &mut core::fmt::Formatter) -> core::fmt::Result {
				formatter.write_str("a map from resource attribute names to values")
			}

			fn visit_map<A: serde::de::MapAccess<'de>>(
				self,
				mut map: A,
			) -> Result<ResourceSet, A::Error> {
				let mut capacities = Vec::new();
				let mut properties = Vec::new();
				while let Some(attribute) = map.next_key::<Attribute>()? {
					match attribute {
						Attribute::Capacity(capacity) => {
							capacities.push((capacity, map.next_value::<u64>()?))
						},
						Attribute::Property(property) => properties.push((
							property,
							map.next_value::<alloc::string::String>()?.into_bytes(),
						)),
					}
				}
				ResourceSet::new(capacities, properties)
					.map_err(|error| serde::de::Error::custom(alloc::format!("{error:?}")))
			}
		}

		deserializer.deserialize_map(SetVisitor)
	}
}

/// The match predicate, the one definition of "does this offer satisfy this requirement" for
/// the runtime, the daemon and the CLI: every capacity the requirement names is offered in at
/// least that amount, and every property it names is offered with exactly that value.
pub fn satisfies(requirement: &ResourceSet, offer: &ResourceSet) -> bool {
	requirement
		.capacities
		.iter()
		.all(|(kind, needed)| offer.capacity(*kind).is_some_and(|offered| offered >= *needed))
		&& requirement
			.properties
			.iter()
			.all(|(kind, needed)| offer.property(*kind) == Some(&needed[..]))
}

#[cfg(test)]
mod tests {
	use super::*;
	use proptest::prelude::*;

	#[test]
	fn json_form_is_a_map_of_names_to_values() {
		let cpu_in_eu = set(&[(Capacity::CpuMillicores, 2_000)], &[(Property::Region, "eu-west")]);
		let json = serde_json::to_string(&cpu_in_eu).expect("serializes");
		assert_eq!(json, r#"{"cpu_millicores":2000,"region":"eu-west"}"#);
		assert_eq!(serde_json::from_str::<ResourceSet>(&json).expect("parses"), cpu_in_eu);
		// Any order in, canonical order out.
		let reordered = r#"{"region":"eu-west","cpu_millicores":2000}"#;
		assert_eq!(serde_json::from_str::<ResourceSet>(reordered).expect("parses"), cpu_in_eu);
		for invalid in [
			r#"{"region":""}"#,
			r#"{"colour":"red"}"#,
			r#"{"gpus":"two"}"#,
			r#"{"gpus":1,"gpus":2}"#,
		] {
			assert!(serde_json::from_str::<ResourceSet>(invalid).is_err(), "{invalid}");
		}
	}

	fn set(capacities: &[(Capacity, u64)], properties: &[(Property, &str)]) -> ResourceSet {
		ResourceSet::new(
			capacities.iter().copied(),
			properties.iter().map(|(kind, value)| (*kind, value.as_bytes().to_vec())),
		)
		.expect("a valid set")
	}

	#[test]
	fn sets_add_up_their_additive_capacities_and_keep_the_highest_clock() {
		let web = set(
			&[(Capacity::CpuMillicores, 500), (Capacity::ClockMhz, 2_000)],
			&[(Property::Region, "eu-west")],
		);
		let db = set(&[(Capacity::CpuMillicores, 1_000), (Capacity::MemoryMib, 512)], &[]);
		assert_eq!(
			web.plus(&db),
			Some(set(
				&[
					(Capacity::CpuMillicores, 1_500),
					(Capacity::MemoryMib, 512),
					(Capacity::ClockMhz, 2_000)
				],
				&[]
			))
		);
		let fast = set(&[(Capacity::ClockMhz, 3_000)], &[]);
		assert_eq!(
			web.plus(&fast).and_then(|total| total.capacity(Capacity::ClockMhz)),
			Some(3_000)
		);
		let huge = set(&[(Capacity::MemoryMib, u64::MAX)], &[]);
		assert_eq!(huge.plus(&db), None);
		assert_eq!(fast.scaled(4), Some(fast.clone()), "clock speed does not scale with units");
	}

	#[test]
	fn more_capacity_satisfies_and_less_does_not() {
		let requirement =
			set(&[(Capacity::CpuMillicores, 2_000), (Capacity::MemoryMib, 2_048)], &[]);
		let bigger = set(&[(Capacity::CpuMillicores, 4_000), (Capacity::MemoryMib, 4_096)], &[]);
		let smaller = set(&[(Capacity::CpuMillicores, 1_000), (Capacity::MemoryMib, 4_096)], &[]);
		assert!(satisfies(&requirement, &bigger));
		assert!(!satisfies(&requirement, &smaller));
	}

	#[test]
	fn properties_match_exactly() {
		let requirement = set(&[], &[(Property::Region, "eu-west")]);
		assert!(satisfies(&requirement, &set(&[], &[(Property::Region, "eu-west")])));
		assert!(!satisfies(&requirement, &set(&[], &[(Property::Region, "eu-west-2")])));
		assert!(!satisfies(&requirement, &set(&[], &[(Property::Region, "us-east")])));
	}

	#[test]
	fn an_attribute_the_offer_does_not_name_is_not_satisfied() {
		let requirement = set(&[(Capacity::Gpus, 1)], &[(Property::GpuModel, "a100")]);
		assert!(!satisfies(&requirement, &set(&[(Capacity::CpuMillicores, 64_000)], &[])));
	}

	#[test]
	fn an_empty_requirement_is_satisfied_by_anything() {
		assert!(satisfies(&ResourceSet::default(), &ResourceSet::default()));
		assert!(satisfies(&ResourceSet::default(), &set(&[(Capacity::Gpus, 8)], &[])));
	}

	#[test]
	fn bad_attribute_lists_are_typed_errors() {
		assert_eq!(
			ResourceSet::new([(Capacity::Gpus, 1), (Capacity::Gpus, 2)], []),
			Err(ResourceSetError::DuplicateCapacity(Capacity::Gpus))
		);
		assert_eq!(
			ResourceSet::new(
				[],
				[(Property::Os, b"linux".to_vec()), (Property::Os, b"bsd".to_vec())]
			),
			Err(ResourceSetError::DuplicateProperty(Property::Os))
		);
		assert_eq!(
			ResourceSet::new([], [(Property::Os, Vec::new())]),
			Err(ResourceSetError::EmptyPropertyValue(Property::Os))
		);
		assert_eq!(
			ResourceSet::new(
				[],
				[(Property::Tier, vec![b'x'; MAX_PROPERTY_VALUE_LEN as usize + 1])]
			),
			Err(ResourceSetError::PropertyValueTooLong(Property::Tier))
		);
	}

	#[test]
	fn construction_order_does_not_change_the_encoding() {
		let a = set(
			&[(Capacity::Gpus, 1), (Capacity::CpuMillicores, 500)],
			&[(Property::Os, "linux"), (Property::Region, "eu")],
		);
		let b = set(
			&[(Capacity::CpuMillicores, 500), (Capacity::Gpus, 1)],
			&[(Property::Region, "eu"), (Property::Os, "linux")],
		);
		assert_eq!(a.encode(), b.encode());
		assert!(a.is_canonical());
	}

	#[test]
	fn a_decoded_set_out_of_order_is_not_canonical() {
		let unordered = (
			vec![(Capacity::Gpus, 1u64), (Capacity::CpuMillicores, 500u64)],
			Vec::<(Property, Vec<u8>)>::new(),
		);
		let decoded = ResourceSet::decode(&mut &unordered.encode()[..]).expect("decodes");
		assert!(!decoded.is_canonical());
	}

	fn any_resource_set() -> impl Strategy<Value = ResourceSet> {
		let capacities = proptest::collection::btree_map(0usize..6, 0u64..1_000_000, 0..=6);
		let properties = proptest::collection::btree_map(0usize..5, "[a-c]{1,3}", 0..=5);
		(capacities, properties).prop_map(|(capacities, properties)| {
			ResourceSet::new(
				capacities.into_iter().map(|(kind, amount)| (Capacity::ALL[kind], amount)),
				properties
					.into_iter()
					.map(|(kind, value)| (Property::ALL[kind], value.into_bytes())),
			)
			.expect("generated sets are valid")
		})
	}

	proptest! {
		#[test]
		fn every_set_satisfies_itself(set in any_resource_set()) {
			prop_assert!(satisfies(&set, &set));
		}

		#[test]
		fn growing_the_offer_never_breaks_a_match(
			offer in any_resource_set(),
			keep in proptest::collection::vec(any::<bool>(), 11),
			scale_percent in 0u64..=100,
			extra in proptest::collection::vec((0usize..6, 0u64..1_000_000), 0..6),
		) {
			// A requirement the offer meets: some of its attributes, capacities scaled down.
			let requirement = ResourceSet::new(
				Capacity::ALL.iter().enumerate().filter(|(index, _)| keep[*index]).filter_map(|(_, kind)| {
					offer.capacity(*kind).map(|amount| (*kind, amount / 100 * scale_percent))
				}),
				Property::ALL.iter().enumerate().filter(|(index, _)| keep[6 + *index]).filter_map(|(_, kind)| {
					offer.property(*kind).map(|value| (*kind, value.to_vec()))
				}),
			).expect("valid");
			prop_assert!(satisfies(&requirement, &offer));
			// Raise every capacity the offer has, and add those it lacks.
			let grown = ResourceSet::new(
				Capacity::ALL.iter().enumerate().filter_map(|(index, kind)| {
					let bonus: u64 = extra.iter().filter(|(k, _)| *k == index).map(|(_, v)| *v).sum();
					match offer.capacity(*kind) {
						Some(amount) => Some((*kind, amount.saturating_add(bonus))),
						None if bonus > 0 => Some((*kind, bonus)),
						None => None,
					}
				}),
				Property::ALL.iter().filter_map(|kind| offer.property(*kind).map(|v| (*kind, v.to_vec()))),
			).expect("valid");
			prop_assert!(satisfies(&requirement, &grown));
		}

		#[test]
		fn a_required_attribute_the_offer_lacks_is_never_satisfied(
			requirement in any_resource_set(),
			offer in any_resource_set(),
		) {
			let lacks_a_capacity = Capacity::ALL.iter().any(|kind| {
				requirement.capacity(*kind).is_some() && offer.capacity(*kind).is_none()
			});
			let lacks_a_property = Property::ALL.iter().any(|kind| {
				requirement.property(*kind).is_some() && offer.property(*kind).is_none()
			});
			if lacks_a_capacity || lacks_a_property {
				prop_assert!(!satisfies(&requirement, &offer));
			}
		}

		#[test]
		fn satisfaction_is_transitive(a in any_resource_set(), b in any_resource_set(), c in any_resource_set()) {
			if satisfies(&a, &b) && satisfies(&b, &c) {
				prop_assert!(satisfies(&a, &c));
			}
		}
	}
}
