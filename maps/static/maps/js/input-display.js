/* How an input is shown, on the map and in lists: the API's GeoJSON feature read into the
 * fields the pages use, its themes' colours, marker shapes and names, its answer's label, and
 * its short summary in popups and lists. Loaded after common.js (it needs el, t and readJSON)
 * and before the page's own scripts; its names join window.Innspill, where the pages look.
 */
(function () {
  "use strict";
  var I = window.Innspill;
  var el = I.el;
  var t = I.t;

  var outcomes = I.readJSON("outcomes-data", {});
  var themes = I.readJSON("themes-data", []);
  var themesBySlug = {};
  themes.forEach(function (theme) {
    themesBySlug[theme.slug] = theme;
  });

  /* ---- Reading the API's GeoJSON features (docs/api.md) ----------------------------------
   * Feature "id" is the input's public UUID; public properties: text (redacted), themes
   * (slugs), process ({id, slug, title}|null), response ({outcome, justification, ...}|null),
   * supports and comments (counts), received_on (date). */

  function inputInfo(feature) {
    var props = feature.properties || {};
    var response = props.response || null;
    return {
      id: feature.id,
      text: props.text || "",
      themes: props.themes || [],
      outcome: response ? response.outcome : null,
      justification: response ? response.justification : "",
      supportCount: props.supports || 0,
      url: "/inputs/" + encodeURIComponent(feature.id) + "/",
      process: props.process || null,
      received: props.received_on || "",
    };
  }

  function themeColour(slugs) {
    for (var i = 0; i < slugs.length; i++) {
      if (themesBySlug[slugs[i]]) return themesBySlug[slugs[i]].colour;
    }
    return "#595959";
  }

  /* The marker shape of the first known theme (its family's; docs/resident-map.md). */
  function themeSymbol(slugs) {
    for (var i = 0; i < slugs.length; i++) {
      if (themesBySlug[slugs[i]]) return themesBySlug[slugs[i]].symbol || "circle";
    }
    return "circle";
  }

  function themeName(slug) {
    return themesBySlug[slug] ? themesBySlug[slug].name : slug;
  }

  function outcomeLabel(outcome) {
    return outcome ? outcomes[outcome] || outcome : t("noAnswer");
  }

  function shorten(text, length) {
    if (text.length <= length) return text;
    return text.slice(0, length - 1).replace(/\s+\S*$/, "") + " …";
  }

  /* A summary of one input as DOM: text, themes, answer, link. Used in popups and lists. */
  function inputSummary(info, headingTag) {
    var themesText = info.themes.map(themeName).join(", ");
    return el(
      "div",
      { className: "popup", dir: "auto" },
      el(headingTag || "h3", { text: themesText || t("input") }),
      el("p", { text: shorten(info.text || t("noText"), 240) }),
      el(
        "p",
        null,
        el("span", { className: "outcome outcome--" + (info.outcome || "none"), text: outcomeLabel(info.outcome) })
      ),
      info.supportCount ? el("p", { className: "meta", text: t("supports", { count: info.supportCount }) }) : null,
      // "Read the input and the answer" only where there is an answer.
      el("p", null, el("a", { href: info.url, text: info.outcome ? t("readMore") : t("readInput") }))
    );
  }

  Object.assign(I, {
    inputInfo: inputInfo,
    inputSummary: inputSummary,
    outcomeLabel: outcomeLabel,
    shorten: shorten,
    themeColour: themeColour,
    themeSymbol: themeSymbol,
    themeName: themeName,
    themes: themes,
  });
})();
