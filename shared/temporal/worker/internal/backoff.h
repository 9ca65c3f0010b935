#pragma once

#include <chrono>

namespace Nebula::Temporal::Internal {

// Capped exponential backoff with ±20 % jitter (core's poll retry: 200 ms up to 10 s).
class Backoff
{
public:
    Backoff(std::chrono::milliseconds initial, std::chrono::milliseconds maximum, double factor = 1.7);
    std::chrono::milliseconds next();
    void reset() { m_attempt = 0; }
    int attempts() const { return m_attempt; }

private:
    std::chrono::milliseconds m_initial;
    std::chrono::milliseconds m_maximum;
    double m_factor;
    int m_attempt = 0;
};

} // namespace Nebula::Temporal::Internal
