import {
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/**
 * The root fields an operation selects, through inline fragments and fragment spreads.
 * `@skip`/`@include` are ignored on purpose: a field that might run is checked (stricter).
 */
export function rootFieldNodes(
  selectionSet: SelectionSetNode,
  document: DocumentNode,
): FieldNode[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION)
      fragments.set(definition.name.value, definition);
  }
  const seen = new Set<string>();
  const collect = (set: SelectionSetNode): FieldNode[] =>
    set.selections.flatMap((selection) => {
      if (selection.kind === Kind.FIELD) return [selection];
      if (selection.kind === Kind.INLINE_FRAGMENT) return collect(selection.selectionSet);
      const name = selection.name.value;
      const fragment = fragments.get(name);
      if (seen.has(name) || fragment === undefined) return [];
      seen.add(name);
      return collect(fragment.selectionSet);
    });
  return collect(selectionSet);
}
