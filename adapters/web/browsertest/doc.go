// Package browsertest drives the web pages in headless Chromium (chromedp):
// axe-core accessibility checks, keyboard focus order, screenshots and the
// live (SSE) flows. It has tests only; Chromium must be installed
// (Debian: apt-get install chromium).
package browsertest
