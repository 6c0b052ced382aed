mod adversaries;
mod bidding;
mod matching;
mod offers;
mod ordering;
