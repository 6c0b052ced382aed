use crate::{mock::*, MAX_PROVIDERS_PAGE};
use ccre_primitives::{AttestationView, LeaseOutcome, Property, ReputationRecorder, StakeView};
use frame_support::assert_ok;
use sp_runtime::Perbill;

#[test]
fn provider_view_gathers_everything() {
	run_test(|| {
		assert!(Providers::provider_view(&1).is_none());
		register(1);
		assert_ok!(Providers::bond(RuntimeOrigin::signed(1), 200));
		assert_ok!(Providers::unbond(RuntimeOrigin::signed(1), 50));
		assert_ok!(Providers::add_auditor(RuntimeOrigin::root(), 7));
		assert_ok!(Providers::attest(RuntimeOrigin::signed(7), 1));
		assert_ok!(Providers::record_outcome(&1, LeaseOutcome::Success, 800));

		let view = Providers::provider_view(&1).expect("registered");
		assert_eq!(view.account, 1);
		assert_eq!(view.host_uri, b"https://provider.example:8443".to_vec());
		assert_eq!(view.attributes.property(Property::Region), Some(&b"eu-west"[..]));
		assert_eq!(view.contact, b"ops@provider.example".to_vec());
		assert_eq!(view.stake, StakeView { active: 150, unlocking: vec![(50, 11)] });
		assert!(view.can_bid);
		assert_eq!(
			view.attestations,
			vec![AttestationView { auditor: 7, signed_at: 1, valid: true }]
		);
		assert_eq!(view.reputation.score, Perbill::from_percent(90));
	});
}

#[test]
fn providers_page_through_all_registrations() {
	run_test(|| {
		for who in 1..=9 {
			register(who);
		}
		let mut seen = Vec::new();
		let mut cursor = None;
		loop {
			let page = Providers::provider_views(cursor, 4);
			assert!(page.len() <= 4);
			let Some(last) = page.last() else { break };
			cursor = Some(last.account);
			seen.extend(page.into_iter().map(|view| view.account));
		}
		seen.sort();
		assert_eq!(seen, (1..=9).collect::<Vec<_>>());
		assert_eq!(Providers::provider_views(None, u32::MAX).len(), 9);
		assert!(MAX_PROVIDERS_PAGE >= 9);
	});
}
