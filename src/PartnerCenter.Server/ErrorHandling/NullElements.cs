using System.Collections;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace PartnerCenter.Server.ErrorHandling;

/// <summary>
/// Request lists never hold a null (<c>"product_infos": [null]</c>): every object read from a request checks its lists
/// once read, so no endpoint meets a null element. A contract modifier, not a converter, so the OpenAPI document still
/// describes the lists' elements.
/// </summary>
public static class NullElements
{
    public static void Refuse(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object) return;
        var lists = info.Properties.Where(p => p.PropertyType.IsGenericType && p.PropertyType.GetGenericTypeDefinition() == typeof(List<>)
                                               && !p.PropertyType.GetGenericArguments()[0].IsValueType && p.Get is not null).ToList();
        if (lists.Count == 0) return;
        var earlier = info.OnDeserialized;
        info.OnDeserialized = value =>
        {
            foreach (var list in lists)
                if (list.Get!(value) is IList items && items.Contains(null))
                    throw new JsonException($"must not hold null elements: {list.Name} has one.");
            earlier?.Invoke(value);
        };
    }
}
