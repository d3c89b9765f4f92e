/// @file mechanisms.hpp
/// @brief The channel factories, one per mechanism the kit teaches.
#pragma once

#include <vector>

#include "channel.hpp"

namespace ipclab::bench {

std::unique_ptr<channel> make_pipe_channel(std::size_t max_message);         ///< pipe.cpp
std::unique_ptr<channel> make_fifo_channel(std::size_t max_message);         ///< fifo.cpp
std::unique_ptr<channel> make_unix_stream_channel(std::size_t max_message);  ///< unix_socket.cpp
std::unique_ptr<channel> make_unix_dgram_channel(std::size_t max_message);   ///< unix_socket.cpp
std::unique_ptr<channel> make_xsi_msg_channel(std::size_t max_message);      ///< xsi_msg.cpp
std::unique_ptr<channel> make_posix_mq_channel(std::size_t max_message);     ///< posix_mq.cpp
std::unique_ptr<channel> make_xsi_shm_ring_channel(std::size_t max_message); ///< shm_regions.cpp
std::unique_ptr<channel> make_mmap_ring_channel(std::size_t max_message);    ///< shm_regions.cpp

/// Every mechanism, in the order the report lists them.
std::vector<mechanism> all_mechanisms();

}  // namespace ipclab::bench
