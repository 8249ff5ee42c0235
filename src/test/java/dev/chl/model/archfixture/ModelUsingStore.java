package dev.chl.model.archfixture;

import dev.chl.store.Tx;

/** Breaks DESIGN §11 on purpose (the model depending on the store). */
public final class ModelUsingStore {
    Tx tx;
}
