//! Temporary: the API trait in three parts while it is being ported; merged into `api.rs`.
#![allow(dead_code)]
mod part1;
mod part2;
mod part3;
