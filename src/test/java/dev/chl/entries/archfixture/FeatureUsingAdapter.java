package dev.chl.entries.archfixture;

import dev.chl.api.HealthApi;
import dev.chl.app.Config;

/** Breaks DESIGN §11 on purpose (a feature depending on an adapter and on the composition root). */
public final class FeatureUsingAdapter {
    HealthApi adapter;
    Config config;
}
