//! Integration tests: one binary (see `Cargo.toml`), real servers on 127.0.0.1 port 0.

mod access;
mod atom;
mod backup;
mod browser;
mod check;
mod cli;
mod dumps;
mod faults;
mod harvest;
mod helpers;
mod hostile;
mod http_feeds;
mod http_pages;
mod http_push;
mod http_search;
mod http_sparql;
mod kaleidos;
mod kaleidos_producer;
mod ldes_client;
mod operations;
mod push_process;
mod shacl_w3c;
mod sparql_clients;
mod sparql_w3c;
mod tidy;
mod validation_fixtures;
