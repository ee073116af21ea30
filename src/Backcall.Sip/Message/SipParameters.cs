namespace Backcall.Sip.Message;

/// <summary>
/// An ordered list of <c>;name[=value]</c> parameters (URI, Via or header parameters).
/// Names compare case-insensitively (RFC 3261 §19.1.4 / §7.3.1); a value-less parameter has a null value.
/// </summary>
/// <remarks>Most URIs and addresses of a call have none, so the list is made by the first parameter.</remarks>
internal sealed class SipParameters
{
    private List<KeyValuePair<string, string?>>? _items;

    public int Count => _items?.Count ?? 0;

    public IReadOnlyList<KeyValuePair<string, string?>> Items => _items is null ? [] : _items;

    public void Add(string name, string? value) => (_items ??= []).Add(new(name, value));

    public bool Contains(string name) => IndexOf(name) >= 0;

    /// <summary>Value of the first parameter with this name; null when absent or value-less.</summary>
    public string? Get(string name)
    {
        var i = IndexOf(name);
        return i >= 0 ? _items![i].Value : null;
    }

    /// <summary>Sets (or adds) a parameter, keeping the original position when it already exists.</summary>
    public void Set(string name, string? value)
    {
        var i = IndexOf(name);
        if (i >= 0)
        {
            _items![i] = new(_items[i].Key, value);
        }
        else
        {
            Add(name, value);
        }
    }

    public SipParameters Clone()
    {
        var copy = new SipParameters();
        if (_items is not null)
        {
            copy._items = [.. _items];
        }

        return copy;
    }

    public void AppendTo(System.Text.StringBuilder sb)
    {
        if (_items is null)
        {
            return;
        }

        foreach (var (name, value) in _items)
        {
            sb.Append(';').Append(name);
            if (value is not null)
            {
                sb.Append('=').Append(value);
            }
        }
    }

    private int IndexOf(string name)
    {
        for (var i = 0; i < Count; i++)
        {
            if (string.Equals(_items![i].Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }
}
