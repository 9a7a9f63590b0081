/* Run only by browsers too old for JavaScript modules (assets/search.js is one): say so. */
document.getElementById("search-message").textContent = "您的浏览器版本较旧，无法使用站内检索。请升级浏览器，或按五公开环节、标准目录查找公开信息。";
