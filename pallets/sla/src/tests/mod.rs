mod arbitration;
mod downtime;
mod heartbeats;
mod pool;
