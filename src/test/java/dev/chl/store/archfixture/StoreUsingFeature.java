package dev.chl.store.archfixture;

import dev.chl.entries.EntryService;

/** Breaks DESIGN §11 on purpose (the store depending on a feature). */
public final class StoreUsingFeature {
    EntryService entries;
}
