mod adversaries;
mod arbitration;
mod downtime;
mod heartbeats;
mod pool;
