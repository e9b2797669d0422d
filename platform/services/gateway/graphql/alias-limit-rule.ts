import type { ASTVisitor, ValidationContext, ValidationRule } from 'graphql';
import { refusalError } from './refusal.ts';

/**
 * Refuses documents with more than `max` aliased fields: aliases are how one request asks for the
 * same expensive field many times over (and how login-style brute force hides in one request).
 */
export function aliasLimitRule(max: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    let aliases = 0;
    return {
      Field(node) {
        if (node.alias) aliases += 1;
      },
      Document: {
        leave() {
          if (aliases > max) context.reportError(refusalError(`the query uses ${aliases} aliases; at most ${max} are allowed`, 'too_many_aliases'));
        },
      },
    };
  };
}
