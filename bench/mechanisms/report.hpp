/// @file report.hpp
/// @brief The three ways to show a run: a terminal table, JSON, a gnuplot plot.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "results.hpp"

namespace ipclab::bench {

/// Prints the tables (IPC figures, baselines, ring ÷ memcpy, APUE's two
/// tables) on stdout; bold and colour only when @p colour.
void print_tables(const bench_results& r, bool colour);

/// The run as one JSON object: {"units", "settings", "results": [one record
/// per mechanism and size], "baselines", "ring_vs_memcpy", "apue"}.
nlohmann::ordered_json to_json(const bench_results& r);

/// Where gnuplot is on PATH, or empty.
std::string find_gnuplot();

/// Writes a plot of @p r to @p path (.svg or .png) with gnuplot, from a
/// script and data file in the work folder.
/// @throws std::runtime_error naming gnuplot's complaint when it fails.
void write_plot(const bench_results& r, const std::string& path, const std::string& gnuplot);

}  // namespace ipclab::bench
