/**
 * No "Did you mean …" when introspection is off: those hints spell out, one typo at a time, the
 * schema that turning introspection off hides. graphql-armor's plugin removes the field, argument
 * and type suggestions of validation; graphql-js words enum hints differently ("Did you mean the
 * enum value …?", in validation and when variables are coerced at execution), so those are
 * removed here too.
 */
import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import { GraphQLError } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';

const ENUM_HINT = / ?Did you mean the enum value [^?]*\?/g;

function withoutEnumHints<E extends Error>(errors: readonly E[]): (E | GraphQLError)[] {
  return errors.map((error) => {
    ENUM_HINT.lastIndex = 0;
    if (!(error instanceof GraphQLError) || !ENUM_HINT.test(error.message)) return error;
    return new GraphQLError(error.message.replace(ENUM_HINT, '').trim(), {
      nodes: error.nodes,
      source: error.source,
      positions: error.positions,
      path: error.path,
      originalError: error.originalError,
      extensions: error.extensions,
    });
  });
}

const useNoEnumHints: Plugin = {
  onValidate() {
    return ({ valid, result, setResult }) => {
      if (!valid) setResult(withoutEnumHints(result));
    };
  },
  onExecute() {
    return {
      onExecuteDone({ result, setResult }) {
        // Variable coercion fails before anything runs: a single result, never a stream.
        if (isAsyncIterable(result) || result.errors === undefined) return;
        setResult({ ...result, errors: withoutEnumHints(result.errors) });
      },
    };
  },
};

export function useNoSuggestions(): Plugin[] {
  return [blockFieldSuggestionsPlugin({ mask: '' }), useNoEnumHints];
}
