// SPDX-License-Identifier: Apache-2.0
// Caps the size of files this process writes, for tests of writes cut short: the kernel accepts the
// first `bytes` and refuses the rest (EFBIG), for root too, unlike permissions. SIGXFSZ is ignored
// while the cap holds, so the write fails instead of killing the test.
#pragma once

#include <sys/resource.h>

#include <csignal>

namespace jwb::testing {

class FileSizeCap final {
public:
    explicit FileSizeCap(rlim_t bytes) : m_previousHandler(std::signal(SIGXFSZ, SIG_IGN))
    {
        m_active = getrlimit(RLIMIT_FSIZE, &m_saved) == 0;
        rlimit tight = m_saved;
        tight.rlim_cur = bytes;
        m_active = m_active && setrlimit(RLIMIT_FSIZE, &tight) == 0;
    }
    ~FileSizeCap()
    {
        if (m_active)
            setrlimit(RLIMIT_FSIZE, &m_saved);
        std::signal(SIGXFSZ, m_previousHandler);
    }
    FileSizeCap(const FileSizeCap&) = delete;
    FileSizeCap& operator=(const FileSizeCap&) = delete;

    // False when the cap could not be set: the test must not go on as if it held.
    bool active() const { return m_active; }

private:
    void (*m_previousHandler)(int);
    rlimit m_saved{};
    bool m_active = false;
};

} // namespace jwb::testing
