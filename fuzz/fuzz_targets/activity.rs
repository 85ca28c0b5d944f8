//! Activity responses: any JSON parses to an activity or a typed error, and every typed result of
//! a parsed activity reads to a value or a typed error; never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use quorum_kit::activity::Activity;
use quorum_kit::activity::intents::{
    ApproveActivity, CreatePolicy, CreateReadWriteSession, CreateSubOrganization, CreateWallet,
    ExportWallet, ExportWalletAccount, RejectActivity, SignRawPayload, SignTransaction,
    UpdateRootQuorum,
};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Ok(activity) = Activity::from_response(&text) else { return };
    let _ = activity.approvals();
    let _ = activity.result_of::<CreateSubOrganization>();
    let _ = activity.result_of::<CreatePolicy>();
    let _ = activity.result_of::<UpdateRootQuorum>();
    let _ = activity.result_of::<CreateWallet>();
    let _ = activity.result_of::<SignTransaction>();
    let _ = activity.result_of::<SignRawPayload>();
    let _ = activity.result_of::<ExportWallet>();
    let _ = activity.result_of::<ExportWalletAccount>();
    let _ = activity.result_of::<CreateReadWriteSession>();
    let _ = activity.result_of::<ApproveActivity>();
    let _ = activity.result_of::<RejectActivity>();
});
