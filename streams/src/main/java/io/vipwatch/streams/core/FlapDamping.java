package io.vipwatch.streams.core;

/**
 * Flap damping after RFC 2439, in closed form: a penalty p set at time t0 is worth
 * {@code p * 2^(-(t - t0) / halfLife)} at time t; each flap adds the flap penalty, capped.
 */
final class FlapDamping {

    /** Below this the penalty is as good as gone: a quiet VIP is forgotten then. */
    static final double NEGLIGIBLE = 1.0;

    private final DetectionSettings config;
    private final double halfLifeMs;

    FlapDamping(final DetectionSettings config) {
        this.config = config;
        this.halfLifeMs = config.halfLifeMs();
    }

    double decayed(final double penalty, final long at, final long t) {
        if (penalty == 0 || t <= at) {
            return penalty;
        }
        return penalty * Math.pow(2, -(t - at) / halfLifeMs);
    }

    /** The penalty after one more flap. */
    double add(final double decayed) {
        return Math.min(config.flapCap(), decayed + config.flapPenalty());
    }

    /** The first millisecond at which the penalty has decayed to the reuse limit. */
    long reuseAt(final double penalty, final long at) {
        return until(penalty, at, config.flapReuse());
    }

    /** When the penalty becomes negligible. */
    long forgetAt(final double penalty, final long at) {
        return until(penalty, at, NEGLIGIBLE);
    }

    private long until(final double penalty, final long at, final double limit) {
        if (penalty <= limit) {
            return at;
        }
        final double log2 = Math.log(penalty / limit) / Math.log(2);
        return at + (long) Math.ceil(halfLifeMs * log2);
    }
}
