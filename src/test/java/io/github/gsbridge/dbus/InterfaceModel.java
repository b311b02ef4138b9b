package io.github.gsbridge.dbus;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Introspection XML reduced to what matters, for comparing: per interface, one line per method
 * (argument directions, types and names), signal, property (type, access) and annotation.
 * Formatting, comments, order and child nodes do not count.
 */
final class InterfaceModel {
    private InterfaceModel() {}

    static Map<String, SortedSet<String>> parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        // The DOCTYPE names the freedesktop DTD; never fetch it.
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document document = factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
        Map<String, SortedSet<String>> interfaces = new TreeMap<>();
        for (Element iface : children(document.getDocumentElement(), "interface")) {
            SortedSet<String> members = new TreeSet<>();
            annotations(iface).forEach(a -> members.add("annotation " + a));
            for (Element method : children(iface, "method")) {
                members.add("method " + method.getAttribute("name") + args(method, true) + annotations(method));
            }
            for (Element signal : children(iface, "signal")) {
                members.add("signal " + signal.getAttribute("name") + args(signal, false) + annotations(signal));
            }
            for (Element property : children(iface, "property")) {
                members.add("property " + property.getAttribute("name") + " " + property.getAttribute("type") + " "
                        + property.getAttribute("access") + annotations(property));
            }
            interfaces.put(iface.getAttribute("name"), members);
        }
        return interfaces;
    }

    private static String args(Element member, boolean method) {
        List<String> args = new ArrayList<>();
        for (Element arg : children(member, "arg")) {
            String direction = arg.getAttribute("direction");
            String prefix = method ? (direction.isEmpty() ? "in" : direction) + " " : "";
            args.add(prefix + arg.getAttribute("type") + " " + arg.getAttribute("name"));
        }
        return "(" + String.join(", ", args) + ")";
    }

    private static List<String> annotations(Element element) {
        List<String> list = new ArrayList<>();
        for (Element annotation : children(element, "annotation")) {
            list.add(annotation.getAttribute("name") + "=" + annotation.getAttribute("value"));
        }
        return list;
    }

    private static List<Element> children(Element parent, String tag) {
        List<Element> list = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node node = nodes.item(i);
            if (node instanceof Element element && element.getTagName().equals(tag)) {
                list.add(element);
            }
        }
        return list;
    }
}
