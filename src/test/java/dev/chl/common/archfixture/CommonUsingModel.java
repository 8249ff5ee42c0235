package dev.chl.common.archfixture;

import dev.chl.model.Kind;

/** Breaks DESIGN §11 on purpose (common depending on another dev.chl package). */
public final class CommonUsingModel {
    Kind kind;
}
