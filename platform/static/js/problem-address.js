// A refused action re-renders the problem page at the action's address
// (/problems/<n>/act/<name>/): show the problem's own address instead, keeping
// the anchor of the form that holds the reason, so a reload does not re-post.
(function () {
  var canonical = document.querySelector('link[rel="canonical"]');
  if (canonical && window.history && location.pathname.indexOf("/act/") !== -1) {
    history.replaceState(null, "", canonical.getAttribute("href") + location.hash);
  }
})();
